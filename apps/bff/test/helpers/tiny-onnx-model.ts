import { writeFile } from 'node:fs/promises';
// onnx-proto is CommonJS: its named exports are read from the default one (Node and Vitest alike).
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/**
 * A tiny ONNX model with Depth Anything V2's signature: `pixel_values` float [1, 3, H, W] in,
 * `predicted_depth` float [1, H, W] out (here the mean over the three normalised channels).
 * `fixedSize` gives static H×W dims instead of dynamic ones. Built in the test, no weights fetched.
 */
export async function writeTinyDepthModel(
  file: string,
  fixedSize?: { height: number; width: number },
  /** Makes the file about this much larger with an unused weight (for download tests). */
  paddingBytes = 0,
): Promise<void> {
  const dim = (value: number | string) =>
    typeof value === 'number' ? { dimValue: value } : { dimParam: value };
  const h = fixedSize?.height ?? 'height';
  const w = fixedSize?.width ?? 'width';
  const tensor = (name: string, dims: Array<number | string>) => ({
    name,
    type: {
      tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: dims.map(dim) } },
    },
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    producerName: 'immichvr-tests',
    graph: {
      name: 'tiny-depth',
      input: [tensor('pixel_values', [1, 3, h, w])],
      output: [tensor('predicted_depth', [1, h, w])],
      initializer:
        paddingBytes > 0
          ? [
              {
                name: 'padding',
                dims: [Math.ceil(paddingBytes / 4)],
                dataType: onnx.TensorProto.DataType.FLOAT,
                // Varied bytes, so a damaged copy cannot hash like the real one by chance.
                rawData: Buffer.from(
                  Float32Array.from({ length: Math.ceil(paddingBytes / 4) }, (_, i) => Math.sin(i))
                    .buffer,
                ),
              },
            ]
          : [],
      node: [
        {
          opType: 'ReduceMean',
          input: ['pixel_values'],
          output: ['predicted_depth'],
          attribute: [
            { name: 'axes', type: onnx.AttributeProto.AttributeType.INTS, ints: [1] },
            { name: 'keepdims', type: onnx.AttributeProto.AttributeType.INT, i: 0 },
          ],
        },
      ],
    },
  });
  await writeFile(file, onnx.ModelProto.encode(model).finish());
}
