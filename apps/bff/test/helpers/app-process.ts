import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const BFF_DIR = path.resolve(import.meta.dirname, '../..');

/**
 * A free TCP port on this machine for a child process to listen on. Taken below the kernel's
 * ephemeral range, so no outgoing connection (another test's client, the database pool) can be
 * given it as its local port between this check and the child's bind, which is what made
 * `listen(0)`'s ports collide now and then (EADDRINUSE). Each port is handed out once per process.
 */
export async function freePort(): Promise<number> {
  const [ephemeralLow] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
    .trim()
    .split(/\s+/)
    .map(Number);
  const high = Math.min(ephemeralLow ?? 32768, 32768) - 1;
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 10_000 + Math.floor(Math.random() * (high - 10_000));
    if (handedOut.has(port) || !(await canListen(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free port found between 10000 and ${high}`);
}

const handedOut = new Set<number>();

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    // No host: the dual-stack wildcard, which conflicts with a listener on any address.
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

/** `pnpm start` (src/main.ts) as a child process; resolves once `ready` appears in its output. */
export async function spawnApp(
  env: Record<string, string>,
  args: string[],
  ready: RegExp,
): Promise<{
  child: ChildProcess;
  output: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<void>;
}> {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    cwd: BFF_DIR,
    env: {
      ...process.env,
      LOG_LEVEL: 'warn',
      DEMO_LIBRARY: 'off',
      WORKER_CONCURRENCY: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) =>
      reject(new Error(`the app exited (${code}) before it was ready:\n${output}`)),
    );
    setTimeout(() => reject(new Error(`the app was not ready in time:\n${output}`)), 60_000);
  });
  return {
    child,
    output: () => output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** A CLI of the BFF (`pnpm <script>`), run to completion. */
export function runCliSync(script: string, args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', `src/cli/${script}.ts`, ...args], {
    cwd: BFF_DIR,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
