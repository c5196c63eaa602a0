import { parentPort, workerData } from 'node:worker_threads';
import { demoLayout } from './demo-layout';
import { type DemoItem, writeDemoItem } from './write-demo-item';

/** One demo render thread: renders each item it is sent into the staging folder, answers its manifest entry. */
const { staging, ffmpegPath } = workerData as { staging: string; ffmpegPath: string };
const layout = demoLayout(staging);
parentPort?.on('message', (item: DemoItem) => {
  writeDemoItem(layout, item, ffmpegPath).then(
    (written) => parentPort?.postMessage({ ok: true, written }),
    (error: Error) => parentPort?.postMessage({ ok: false, error: error.message }),
  );
});
