import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

/** ffmpeg as a child process whose failure reads as one line of its own stderr. */
export function spawnFfmpeg(
  ffmpegPath: string,
  args: string[],
  stdio: { stdin: boolean; stdout: boolean },
): {
  child: ChildProcessByStdio<Writable | null, Readable | null, Readable>;
  /** Resolves when ffmpeg exits 0; rejects with its last stderr line otherwise. */
  exited: Promise<void>;
} {
  const child = spawn(ffmpegPath, ['-hide_banner', '-nostdin', ...args], {
    stdio: [stdio.stdin ? 'pipe' : 'ignore', stdio.stdout ? 'pipe' : 'ignore', 'pipe'],
  }) as ChildProcessByStdio<Writable | null, Readable | null, Readable>;
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    // Only the tail matters (the reason ffmpeg gives last).
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve, reject) => {
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new Error(
              `ffmpeg not found at "${ffmpegPath}": install it (apt-get install -y ffmpeg) or set FFMPEG_PATH`,
            )
          : error,
      ),
    );
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else {
        const reason = stderr.trim().split('\n').at(-1) || `exited with ${code ?? signal}`;
        reject(new Error(reason));
      }
    });
  });
  return { child, exited };
}
