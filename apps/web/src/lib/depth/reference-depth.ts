/** The depth the photo is "at": the median of its depths (robust to sky and a near foreground). */
export function referenceDepth(depth: Float32Array): number {
  const step = Math.max(1, Math.floor(depth.length / 20_000));
  const sample: number[] = [];
  for (let i = 0; i < depth.length; i += step) {
    const z = depth[i] as number;
    if (Number.isFinite(z) && z > 0) sample.push(z);
  }
  sample.sort((a, b) => a - b);
  return sample[Math.floor(sample.length / 2)] ?? 1;
}

/**
 * For each vertex (x, y, z), the same ray's point at the reference depth: what the photo looks like
 * flat. Blending between the two gives the depth-strength control and the progressive reveal.
 */
export function flatPositions(positions: Float32Array, zReference: number): Float32Array {
  const flat = new Float32Array(positions.length);
  for (let v = 0; v < positions.length; v += 3) {
    const scale = zReference / -(positions[v + 2] as number);
    flat[v] = (positions[v] as number) * scale;
    flat[v + 1] = (positions[v + 1] as number) * scale;
    flat[v + 2] = -zReference;
  }
  return flat;
}
