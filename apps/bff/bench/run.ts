/**
 * pnpm bench [import|bff|immich|worker|soak|video]: figures, not tests. Each target prints its numbers and a ratio against
 * a reference measured in the same run.
 */
import { benchBff } from './bff.bench';
import { benchImmich } from './immich.bench';
import { benchImport } from './import.bench';
import { benchSoak } from './soak.bench';
import { benchVideo } from './video.bench';
import { benchWorker } from './worker.bench';

const targets: Record<string, () => Promise<void>> = {
  import: benchImport,
  bff: benchBff,
  immich: benchImmich,
  worker: benchWorker,
  soak: benchSoak,
  video: benchVideo,
};
const requested = process.argv.slice(2).filter((a) => a !== '--');
const names = requested.length ? requested : Object.keys(targets);
for (const name of names) {
  const run = targets[name];
  if (!run) {
    console.error(`unknown bench "${name}"; available: ${Object.keys(targets).join(', ')}`);
    process.exit(2);
  }
  console.log(`# bench ${name}`);
  await run();
}
process.exit(0);
