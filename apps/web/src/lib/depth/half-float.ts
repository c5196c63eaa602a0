const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE 754 half-precision bits of a float (round to nearest): what a HalfFloat texture takes. */
export function toHalfFloat(value: number): number {
  f32[0] = value;
  const bits = u32[0] as number;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
  const mantissa = bits & 0x7fffff;
  if (exponent >= 31) return sign | 0x7c00;
  if (exponent <= 0) {
    if (exponent < -10) return sign;
    return sign | ((((mantissa | 0x800000) >> (1 - exponent)) + 0x1000) >> 13);
  }
  return sign | ((exponent << 10) + ((mantissa + 0x1000) >> 13));
}

let table16: Uint16Array | undefined;

/** 16-bit samples as half floats of sample / 65535 (one table lookup per sample). */
export function samplesToHalfFloats(samples: Uint16Array): Uint16Array {
  if (!table16) {
    table16 = new Uint16Array(65536);
    for (let s = 0; s < 65536; s++) table16[s] = toHalfFloat(s / 65535);
  }
  const out = new Uint16Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = table16[samples[i] as number] as number;
  return out;
}
