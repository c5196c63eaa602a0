import { z } from 'zod';
import { depthAnythingTensor } from './depth-anything-input';
import type { DepthEstimator, DisparityMap, RgbImage } from './estimator';
import { fetchRemote, withRetries } from './remote-call';

export interface InferenceProtocolOptions {
  /** The model's endpoint, e.g. http://gpu:8000/v2/models/depth_anything_v2_small */
  url: string;
  timeoutMs: number;
  retries: number;
}

const tensorMetadata = z.object({
  name: z.string(),
  datatype: z.string(),
  shape: z.array(z.number()),
});
/** GET /v2/models/{name}: what the Open Inference Protocol says a model takes and gives. */
const modelMetadata = z.object({
  name: z.string(),
  versions: z.array(z.string()).optional(),
  inputs: z.array(tensorMetadata).min(1),
  outputs: z.array(tensorMetadata).min(1),
});
const inferResponse = z.object({
  outputs: z
    .array(
      z.object({
        name: z.string(),
        datatype: z.string(),
        shape: z.array(z.number()),
        parameters: z.object({ binary_data_size: z.number().int().optional() }).optional(),
        data: z.array(z.number()).optional(),
      }),
    )
    .min(1),
});

/** The header that says how long the JSON part of a binary-tensor request or answer is. */
const HEADER_LENGTH = 'Inference-Header-Content-Length';

/**
 * Depth from an inference server that speaks the Open Inference Protocol (KServe v2) — NVIDIA
 * Triton with its ONNX Runtime backend on a GPU is the reference (docs/gpu-depth-service.md) —
 * serving Depth Anything V2 (or a model with its signature). The worker does the model's input
 * transform itself and sends the tensor with Triton's binary tensor extension (raw FP32 after the
 * JSON header, no 10 MB of JSON numbers); answers in binary or in JSON are both read. The model's
 * input and output names come from its metadata, read once.
 */
export class InferenceProtocolEstimator implements DepthEstimator {
  readonly modelName: string;
  readonly modelVersion = 'remote';
  private metadata: Promise<z.infer<typeof modelMetadata>> | null = null;

  constructor(private readonly options: InferenceProtocolOptions) {
    const url = new URL(options.url);
    const model = url.pathname.split('/').filter(Boolean).at(-1) ?? 'model';
    this.modelName = `remote:${url.host}/${model}`;
  }

  describe(): Record<string, unknown> {
    return { service: this.options.url, protocol: 'open-inference-v2 (binary tensors)' };
  }

  async estimate(image: RgbImage, signal: AbortSignal): Promise<DisparityMap> {
    const meta = await this.readMetadata(signal);
    const input = meta.inputs[0] as z.infer<typeof tensorMetadata>;
    const output = meta.outputs[0] as z.infer<typeof tensorMetadata>;
    const [, , fixedH, fixedW] = input.shape;
    const fixed =
      fixedH && fixedW && fixedH > 0 && fixedW > 0 ? { width: fixedW, height: fixedH } : null;
    const tensor = await depthAnythingTensor(image, fixed);
    const raw = Buffer.from(
      tensor.pixels.buffer,
      tensor.pixels.byteOffset,
      tensor.pixels.byteLength,
    );
    const header = Buffer.from(
      JSON.stringify({
        inputs: [
          {
            name: input.name,
            shape: [1, 3, tensor.height, tensor.width],
            datatype: 'FP32',
            parameters: { binary_data_size: raw.length },
          },
        ],
        outputs: [{ name: output.name, parameters: { binary_data: true } }],
      }),
    );
    return withRetries(
      async () => {
        const { response, bytes } = await fetchRemote(
          `${this.options.url}/infer`,
          {
            method: 'POST',
            headers: {
              'Content-Type': 'application/octet-stream',
              [HEADER_LENGTH]: String(header.length),
            },
            body: new Uint8Array(Buffer.concat([header, raw])),
          },
          this.options.timeoutMs,
          signal,
        );
        if (!response.ok)
          throw new Error(
            `the inference server refused the request: HTTP ${response.status} ${bytes.toString('utf8', 0, 200)}`,
          );
        return readDepth(bytes, Number(response.headers.get(HEADER_LENGTH)), output.name);
      },
      this.options.retries,
      signal,
      'inference server',
    );
  }

  private readMetadata(signal: AbortSignal): Promise<z.infer<typeof modelMetadata>> {
    this.metadata ??= withRetries(
      async () => {
        const { response, bytes } = await fetchRemote(
          this.options.url,
          { headers: { Accept: 'application/json' } },
          this.options.timeoutMs,
          signal,
        );
        if (!response.ok)
          throw new Error(
            `the inference server has no model at ${this.options.url}: HTTP ${response.status}`,
          );
        const parsed = modelMetadata.safeParse(JSON.parse(bytes.toString('utf8')));
        if (!parsed.success)
          throw new Error(`${this.options.url} did not answer Open Inference Protocol metadata`);
        return parsed.data;
      },
      this.options.retries,
      signal,
      'inference server',
    ).catch((error: Error) => {
      this.metadata = null; // asked again on the next job
      throw error;
    });
    return this.metadata;
  }
}

/** The depth map in an infer answer: binary (after a JSON header of `headerLength`) or JSON. */
function readDepth(bytes: Buffer, headerLength: number, outputName: string): DisparityMap {
  const jsonLength =
    Number.isFinite(headerLength) && headerLength > 0 ? headerLength : bytes.length;
  const parsed = inferResponse.safeParse(
    (() => {
      try {
        return JSON.parse(bytes.toString('utf8', 0, jsonLength));
      } catch {
        return null;
      }
    })(),
  );
  if (!parsed.success) throw new Error('the inference server answered something unreadable');
  const output = parsed.data.outputs.find((o) => o.name === outputName) ?? parsed.data.outputs[0];
  if (!output || output.datatype !== 'FP32')
    throw new Error(`the inference server gave no FP32 ${outputName}`);
  const height = output.shape[output.shape.length - 2] as number;
  const width = output.shape[output.shape.length - 1] as number;
  let data: Float32Array;
  if (output.data) data = Float32Array.from(output.data);
  else {
    const size = output.parameters?.binary_data_size ?? 0;
    const start = jsonLength;
    if (size !== width * height * 4 || bytes.length < start + size)
      throw new Error(`the inference server's ${outputName} is not one ${width}×${height} map`);
    data = new Float32Array(width * height);
    Buffer.from(data.buffer).set(bytes.subarray(start, start + size));
  }
  if (data.length !== width * height)
    throw new Error(`the inference server's ${outputName} is not one ${width}×${height} map`);
  return { data, width, height };
}
