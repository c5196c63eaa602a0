import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InferenceSession, Tensor } from 'onnxruntime-node';

/**
 * A stand-in for an Open Inference Protocol (KServe v2) server such as NVIDIA Triton, over real
 * HTTP, running a real ONNX model with onnxruntime-node: GET /v2/models/{name} answers the model's
 * metadata, POST /v2/models/{name}/infer takes and gives tensors with Triton's binary tensor
 * extension (or JSON when `jsonAnswers`). `failNext` answers the next requests with that status.
 */
export async function startInferenceServer(modelName: string, modelFile: string) {
  const session = await InferenceSession.create(modelFile);
  const state = { requests: 0, failNext: [] as number[], jsonAnswers: false };
  const base = `/v2/models/${modelName}`;
  const server = createServer(async (req, res) => {
    state.requests++;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const failure = state.failNext.shift();
    if (failure) return res.writeHead(failure).end(JSON.stringify({ error: 'model is busy' }));
    if (req.method === 'GET' && req.url === base) {
      return res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          name: modelName,
          versions: ['1'],
          platform: 'onnxruntime_onnx',
          inputs: [{ name: session.inputNames[0], datatype: 'FP32', shape: [1, 3, -1, -1] }],
          outputs: [{ name: session.outputNames[0], datatype: 'FP32', shape: [1, -1, -1] }],
        }),
      );
    }
    if (req.method !== 'POST' || req.url !== `${base}/infer`)
      return res.writeHead(404).end(JSON.stringify({ error: 'no such model' }));
    const body = Buffer.concat(chunks);
    const headerLength = Number(req.headers['inference-header-content-length']);
    const request = JSON.parse(body.toString('utf8', 0, headerLength)) as {
      inputs: Array<{ name: string; shape: number[]; parameters: { binary_data_size: number } }>;
    };
    const input = request.inputs[0];
    if (!input) return res.writeHead(400).end(JSON.stringify({ error: 'no input' }));
    const raw = body.subarray(headerLength, headerLength + input.parameters.binary_data_size);
    const pixels = new Float32Array(raw.length / 4);
    Buffer.from(pixels.buffer).set(raw);
    const results = await session.run({ [input.name]: new Tensor('float32', pixels, input.shape) });
    const output = results[session.outputNames[0] as string] as Tensor;
    const values = output.data as Float32Array;
    const meta = { name: session.outputNames[0], datatype: 'FP32', shape: output.dims };
    if (state.jsonAnswers)
      return res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ outputs: [{ ...meta, data: Array.from(values) }] }));
    const header = Buffer.from(
      JSON.stringify({
        outputs: [{ ...meta, parameters: { binary_data_size: values.byteLength } }],
      }),
    );
    res
      .writeHead(200, {
        'content-type': 'application/octet-stream',
        'inference-header-content-length': String(header.length),
      })
      .end(
        Buffer.concat([header, Buffer.from(values.buffer, values.byteOffset, values.byteLength)]),
      );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${base}`,
    state,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await session.release();
    },
  };
}
