import { Worker } from 'node:worker_threads';
import { threadExecArgv } from '../util/thread-exec-argv';
import type { DemoManifestPhoto, DemoManifestVideo } from './manifest';
import type { DemoItem } from './write-demo-item';

type Written = DemoManifestPhoto | DemoManifestVideo;

/**
 * Renders `items` on `threads` worker threads (demo-render-worker.ts, TypeScript loaded through
 * tsx by demo-render-thread.mjs), results in the items' order. With one thread it renders here instead. A thread that fails
 * fails the whole render (its error is rethrown here) and the others are stopped.
 */
export async function renderOnThreads(
  items: DemoItem[],
  threads: number,
  options: {
    staging: string;
    ffmpegPath: string;
    inThisThread: (item: DemoItem) => Promise<Written>;
    onDone: (item: DemoItem) => void;
  },
): Promise<Written[]> {
  const results: Written[] = new Array(items.length);
  if (threads <= 1) {
    for (const [k, item] of items.entries()) {
      results[k] = await options.inThisThread(item);
      options.onDone(item);
    }
    return results;
  }
  let next = 0;
  const workers: Worker[] = [];
  try {
    await Promise.all(
      Array.from({ length: threads }, async () => {
        const worker = new Worker(new URL('./demo-render-thread.mjs', import.meta.url), {
          workerData: { staging: options.staging, ffmpegPath: options.ffmpegPath },
          execArgv: threadExecArgv(),
        });
        workers.push(worker);
        while (next < items.length) {
          const k = next++;
          const item = items[k] as DemoItem;
          results[k] = await new Promise<Written>((resolve, reject) => {
            const onMessage = (
              message: { ok: true; written: Written } | { ok: false; error: string },
            ) => {
              worker.off('error', onError);
              if (message.ok) resolve(message.written);
              else reject(new Error(message.error));
            };
            const onError = (error: Error) => {
              worker.off('message', onMessage);
              reject(error);
            };
            worker.once('message', onMessage);
            worker.once('error', onError);
            worker.postMessage(item);
          });
          options.onDone(item);
        }
      }),
    );
    return results;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
