import { parseEnv } from '../env';
import { defaultModelFile } from '../worker/create-worker';
import { DEPTH_ANYTHING_V2_SMALL_URL, fetchModel } from '../worker/depth/fetch-model';
import { OnnxEstimator } from '../worker/depth/onnx-estimator';
import { bar, createProgressLine } from './progress';

/**
 * pnpm model:fetch [--url <mirror>]: downloads Depth Anything V2 Small (Apache-2.0, ~99 MB) into
 * DATA_DIR/models, where the worker picks it up on its next start.
 */
const args = process.argv.slice(2);
const at = args.indexOf('--url');
const url = at >= 0 ? args[at + 1] : DEPTH_ANYTHING_V2_SMALL_URL;
if (!url || (args.length > 0 && at < 0)) {
  process.stderr.write('immichvr: usage: pnpm model:fetch [--url <mirror of model.onnx>]\n');
  process.exit(2);
}

try {
  const env = parseEnv();
  const target = defaultModelFile(env.dataDir);
  const progress = createProgressLine();
  const bytes = await fetchModel(url, target, (received, total) =>
    progress.update(
      total
        ? `Downloading ${bar(received, total)}`
        : `Downloading ${(received / 1024 ** 2).toFixed(0)} MB`,
    ),
  );
  progress.done();
  const model = await OnnxEstimator.load(target);
  await model.close();
  console.log(
    `Saved ${(bytes / 1024 ** 2).toFixed(0)} MB to ${target} (${model.modelName}, ${model.modelVersion}).`,
  );
  console.log(
    'Restart `pnpm start` (or `pnpm worker`) to use it; reprocess items to replace older depth maps.',
  );
} catch (error) {
  process.stderr.write(`immichvr: ${(error as Error).message}\n`);
  process.exit(1);
}
