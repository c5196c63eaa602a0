import sharp from 'sharp';

/** Largest side of a controller model's texture: a controller covers a few hundred pixels at most. */
export const MAX_MODEL_TEXTURE = 512;

interface GltfJson {
  images?: Array<{ bufferView?: number; mimeType?: string }>;
  bufferViews: Array<{ buffer: number; byteOffset?: number; byteLength: number }>;
  buffers: Array<{ byteLength: number; uri?: string }>;
}

const GLB_MAGIC = 0x46546c67; // "glTF"
const JSON_CHUNK = 0x4e4f534a;
const BIN_CHUNK = 0x004e4942;

/**
 * A binary glTF with every embedded texture larger than `maxSize` scaled down to it (same format,
 * aspect kept), the binary chunk repacked around the smaller images (4-byte aligned, as the spec
 * asks). Geometry and everything else is copied byte for byte. A file without such textures comes
 * back unchanged.
 */
export async function shrinkGlbTextures(glb: Buffer, maxSize = MAX_MODEL_TEXTURE): Promise<Buffer> {
  if (glb.readUInt32LE(0) !== GLB_MAGIC) throw new Error('not a binary glTF (GLB) file');
  const jsonLength = glb.readUInt32LE(12);
  if (glb.readUInt32LE(16) !== JSON_CHUNK) throw new Error('GLB without a JSON chunk first');
  const json = JSON.parse(glb.toString('utf8', 20, 20 + jsonLength)) as GltfJson;
  const binStart = 20 + jsonLength;
  if (binStart >= glb.length || glb.readUInt32LE(binStart + 4) !== BIN_CHUNK) return glb;
  const bin = glb.subarray(binStart + 8, binStart + 8 + glb.readUInt32LE(binStart));
  const views = json.bufferViews.map((view) =>
    bin.subarray(view.byteOffset ?? 0, (view.byteOffset ?? 0) + view.byteLength),
  );

  let changed = false;
  for (const image of json.images ?? []) {
    if (image.bufferView === undefined) continue;
    const bytes = views[image.bufferView] as Buffer;
    const picture = sharp(bytes);
    const { width = 0, height = 0, format } = await picture.metadata();
    if (Math.max(width, height) <= maxSize) continue;
    const resized = picture.resize(maxSize, maxSize, { fit: 'inside' });
    views[image.bufferView] =
      format === 'png'
        ? await resized.png({ compressionLevel: 9 }).toBuffer()
        : await resized.jpeg({ quality: 88 }).toBuffer();
    changed = true;
  }
  if (!changed) return glb;

  // Repack: each view where the previous ended, rounded up to 4 bytes.
  const parts: Buffer[] = [];
  let offset = 0;
  json.bufferViews.forEach((view, k) => {
    const bytes = views[k] as Buffer;
    const pad = (4 - (offset % 4)) % 4;
    if (pad) parts.push(Buffer.alloc(pad));
    offset += pad;
    view.byteOffset = offset;
    view.byteLength = bytes.length;
    parts.push(bytes);
    offset += bytes.length;
  });
  const binTail = (4 - (offset % 4)) % 4;
  if (binTail) parts.push(Buffer.alloc(binTail));
  (json.buffers[0] as { byteLength: number }).byteLength = offset;
  const newBin = Buffer.concat(parts);

  let jsonBytes = Buffer.from(JSON.stringify(json), 'utf8');
  const jsonPad = (4 - (jsonBytes.length % 4)) % 4;
  jsonBytes = Buffer.concat([jsonBytes, Buffer.alloc(jsonPad, 0x20)]);
  const header = Buffer.alloc(12);
  header.writeUInt32LE(GLB_MAGIC, 0);
  header.writeUInt32LE(2, 4);
  header.writeUInt32LE(12 + 8 + jsonBytes.length + 8 + newBin.length, 8);
  const chunk = (type: number, body: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32LE(body.length, 0);
    head.writeUInt32LE(type, 4);
    return Buffer.concat([head, body]);
  };
  return Buffer.concat([header, chunk(JSON_CHUNK, jsonBytes), chunk(BIN_CHUNK, newBin)]);
}
