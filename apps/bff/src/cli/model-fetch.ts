import { parseEnv } from '../env';
import { defaultModelFile } from '../worker/create-worker';
import { fetchModel, offeredModel } from '../worker/depth/fetch-model';
import { OnnxEstimator } from '../worker/depth/onnx-estimator';
import { bar, createProgressLine } from './progress';

/**
 * pnpm model:fetch [--url <mirror>]: downloads Depth Anything V2 Small (Apache-2.0, ~94 MiB) into
 * DATA_DIR/models, resuming an interrupted download, and keeps it only when its SHA-256 matches the
 * pin. A running app (or `pnpm worker`) switches to it within seconds and makes the built-in
 * estimator's depth maps again at low priority.
 */
const args = process.argv.slice(2);
const at = args.indexOf('--url');
const url = at >= 0 ? args[at + 1] : undefined;
if ((at >= 0 && !url) || args.length !== (at >= 0 ? 2 : 0)) {
  process.stderr.write('immichvr: usage: pnpm model:fetch [--url <mirror of model.onnx>]\n');
  process.exit(2);
}

try {
  const env = parseEnv();
  const model = offeredModel({ ...env, depthModelUrl: url ?? env.depthModelUrl });
  const target = defaultModelFile(env.dataDir);
  const progress = createProgressLine();
  const bytes = await fetchModel(model, target, {
    onProgress: (received, total) =>
      progress.update(
        total
          ? `Downloading ${model.name} ${bar(received, total)}`
          : `Downloading ${model.name} ${(received / 1024 ** 2).toFixed(0)} MB`,
      ),
  });
  progress.done();
  const loaded = await OnnxEstimator.load(target, { provider: 'cpu' });
  await loaded.close();
  console.log(
    `Saved ${(bytes / 1024 ** 2).toFixed(0)} MB to ${target} (${loaded.modelName}, SHA-256 verified).`,
  );
  console.log(
    'A running app switches to it within seconds and re-does the built-in estimator’s depth maps at low priority.',
  );
} catch (error) {
  process.stderr.write(`immichvr: ${(error as Error).message}\n`);
  process.exit(1);
}
