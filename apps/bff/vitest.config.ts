import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two cores: more parallel files only slows each embedded database boot down.
    maxWorkers: 2,
    // The files of a worker share its module graph and its migrated embedded database template
    // (test/helpers/test-database.ts) instead of loading both again per file: the suite ran 405 s
    // instead of ~570 s on two cores. Each file still makes its own databases, servers and folders
    // and closes them; nothing a test relies on lives in a module's state between files.
    isolate: false,
  },
});
