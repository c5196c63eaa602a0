import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InferenceSession, env as ortEnv, Tensor } from 'onnxruntime-node';
import { DEPTH_ANYTHING_INPUT, depthAnythingTensor } from './depth-anything-input';
import type { DepthEstimator, DisparityMap, RgbImage } from './estimator';

export type ExecutionProvider = 'cuda' | 'cpu';

export interface OnnxLoadOptions {
  /** auto (default): CUDA when onnxruntime-node can use it here, else the CPU. */
  provider?: 'auto' | ExecutionProvider;
  /** Told why CUDA was not used when it was asked for or tried. */
  onFallback?: (reason: string) => void;
}

export class ModelLoadError extends Error {
  override name = 'ModelLoadError';
}

/**
 * A depth model in ONNX format run with onnxruntime-node (CUDA when available, else CPU): Depth Anything V2 (Small is
 * Apache-2.0; `pnpm model:fetch`) or anything with its signature, one float image tensor
 * [1, 3, H, W] in and relative disparity [1, H, W] (or [1, 1, H, W]) out. Input and output names
 * and any fixed sizes are read from the model.
 */
export class OnnxEstimator implements DepthEstimator {
  private constructor(
    private readonly session: InferenceSession,
    readonly modelName: string,
    readonly modelVersion: string,
    private readonly file: string,
    private readonly fixed: { height: number; width: number } | null,
    /** Where inference runs: 'cuda' or 'cpu'. */
    readonly runtime: ExecutionProvider,
  ) {}

  static async load(file: string, options: OnnxLoadOptions = {}): Promise<OnnxEstimator> {
    const { session, runtime } = await openSession(file, options);
    const input = session.inputMetadata[0];
    if (!input?.isTensor || input.shape.length !== 4)
      throw new ModelLoadError(`${file} does not take one image tensor [1, 3, H, W]`);
    const [, channels, h, w] = input.shape;
    if (typeof channels === 'number' && channels !== 3)
      throw new ModelLoadError(`${file} wants ${channels} channels, not RGB`);
    const fixed =
      typeof h === 'number' && typeof w === 'number' && h > 0 && w > 0
        ? { height: h, width: w }
        : null;
    return new OnnxEstimator(session, nameOf(file), await fingerprint(file), file, fixed, runtime);
  }

  describe(): Record<string, unknown> {
    return {
      runtime: `onnxruntime-node (${this.runtime})`,
      file: path.basename(this.file),
      input: this.session.inputNames[0],
      output: this.session.outputNames[0],
      inputTransform: DEPTH_ANYTHING_INPUT,
      ...(this.fixed ? { fixedInput: this.fixed } : {}),
    };
  }

  async estimate(image: RgbImage, signal: AbortSignal): Promise<DisparityMap> {
    const size = await depthAnythingTensor(image, this.fixed);
    signal.throwIfAborted();
    const inputName = this.session.inputNames[0] as string;
    const outputName = this.session.outputNames[0] as string;
    const results = await this.session.run({
      [inputName]: new Tensor('float32', size.pixels, [1, 3, size.height, size.width]),
    });
    const output = results[outputName];
    if (!output) throw new Error(`the model gave no ${outputName}`);
    const dims = output.dims;
    const height = dims[dims.length - 2] as number;
    const width = dims[dims.length - 1] as number;
    const values = output.data as Float32Array;
    if (values.length !== width * height)
      throw new Error(`the model's output ${JSON.stringify(dims)} is not one depth map`);
    return { data: Float32Array.from(values), width, height };
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}

/**
 * A session on CUDA when asked for (or, with auto, when onnxruntime-node has its CUDA provider and a
 * GPU: npm installs it without one unless ONNXRUNTIME_NODE_INSTALL=cuda12), else on the CPU. The
 * CUDA attempt's native error log is silenced; its reason goes to onFallback instead.
 */
async function openSession(
  file: string,
  options: OnnxLoadOptions,
): Promise<{ session: InferenceSession; runtime: ExecutionProvider }> {
  const common: InferenceSession.SessionOptions = {
    graphOptimizationLevel: 'all',
    intraOpNumThreads: Math.max(1, os.availableParallelism()),
  };
  let cudaFailure: string | undefined;
  if ((options.provider ?? 'auto') !== 'cpu') {
    // Without this, a missing CUDA provider prints a native error before we can say it plainly.
    // Load errors still come back as exceptions (ModelLoadError).
    ortEnv.logLevel = 'fatal';
    try {
      const session = await InferenceSession.create(file, {
        ...common,
        executionProviders: ['cuda', 'cpu'],
        logSeverityLevel: 4,
      });
      return { session, runtime: 'cuda' };
    } catch (error) {
      cudaFailure = (error as Error).message;
    }
  }
  let session: InferenceSession;
  try {
    session = await InferenceSession.create(file, { ...common, executionProviders: ['cpu'] });
  } catch (error) {
    throw new ModelLoadError(`cannot load the depth model ${file}: ${(error as Error).message}`);
  }
  if (cudaFailure)
    options.onFallback?.(
      `CUDA is not available to onnxruntime-node (${cudaFailure}); the depth model runs on the CPU`,
    );
  return { session, runtime: 'cpu' };
}

/** depth-anything-v2-small etc. when the file is recognisably one, else onnx:<file name>. */
function nameOf(file: string): string {
  const base = path.basename(file, path.extname(file));
  const match = /depth[-_]?anything[-_]?v2[-_]?(small|base|large|s|b|l)\b/i.exec(base);
  if (match) {
    const size =
      { s: 'small', b: 'base', l: 'large' }[(match[1] as string).toLowerCase()] ??
      (match[1] as string).toLowerCase();
    return `depth-anything-v2-${size}`;
  }
  return `onnx:${base}`;
}

/** The model file's SHA-256 prefix: which weights made a depth map. */
function fingerprint(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(`sha256:${hash.digest('hex').slice(0, 16)}`))
      .on('error', reject);
  });
}
