/**
 * Small image filters on single-channel float images (row-major), O(pixels) whatever the radius.
 * Used by the built-in depth estimator.
 */

/** Mean over a (2r+1)² window, clamped at the borders (summed-area table). */
export function boxMean(src: Float32Array, width: number, height: number, r: number): Float32Array {
  const sat = new Float64Array((width + 1) * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += src[y * width + x] as number;
      sat[(y + 1) * (width + 1) + x + 1] = (sat[y * (width + 1) + x + 1] as number) + row;
    }
  }
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const y0 = Math.max(0, y - r);
    const y1 = Math.min(height, y + r + 1);
    for (let x = 0; x < width; x++) {
      const x0 = Math.max(0, x - r);
      const x1 = Math.min(width, x + r + 1);
      const sum =
        (sat[y1 * (width + 1) + x1] as number) -
        (sat[y0 * (width + 1) + x1] as number) -
        (sat[y1 * (width + 1) + x0] as number) +
        (sat[y0 * (width + 1) + x0] as number);
      out[y * width + x] = sum / ((x1 - x0) * (y1 - y0));
    }
  }
  return out;
}

/** Minimum over a (2r+1)² window (separable; van Herk/Gil-Werman, 3 comparisons per pixel). */
export function minFilter(
  src: Float32Array,
  width: number,
  height: number,
  r: number,
): Float32Array {
  const rows = new Float32Array(width * height);
  const line = (get: (i: number) => number, set: (i: number, v: number) => void, n: number) => {
    const k = 2 * r + 1;
    const padded = n + 2 * r;
    const g = new Float32Array(padded);
    const h = new Float32Array(padded);
    const at = (i: number) => get(Math.min(n - 1, Math.max(0, i - r)));
    for (let i = 0; i < padded; i++)
      g[i] = i % k === 0 ? at(i) : Math.min(g[i - 1] as number, at(i));
    for (let i = padded - 1; i >= 0; i--)
      h[i] = i % k === k - 1 || i === padded - 1 ? at(i) : Math.min(h[i + 1] as number, at(i));
    for (let i = 0; i < n; i++) set(i, Math.min(h[i] as number, g[i + 2 * r] as number));
  };
  for (let y = 0; y < height; y++)
    line(
      (x) => src[y * width + x] as number,
      (x, v) => {
        rows[y * width + x] = v;
      },
      width,
    );
  const out = new Float32Array(width * height);
  for (let x = 0; x < width; x++)
    line(
      (y) => rows[y * width + x] as number,
      (y, v) => {
        out[y * width + x] = v;
      },
      height,
    );
  return out;
}

/**
 * Guided filter (He, Sun, Tang 2010): smooths `src` while following the edges of `guide`, so depth
 * steps land on the image's own edges. `eps` is the edge threshold in guide units squared.
 */
export function guidedFilter(
  guide: Float32Array,
  src: Float32Array,
  width: number,
  height: number,
  r: number,
  eps: number,
): Float32Array {
  const n = width * height;
  const meanI = boxMean(guide, width, height, r);
  const meanP = boxMean(src, width, height, r);
  const ip = new Float32Array(n);
  const ii = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    ip[i] = (guide[i] as number) * (src[i] as number);
    ii[i] = (guide[i] as number) * (guide[i] as number);
  }
  const meanIp = boxMean(ip, width, height, r);
  const meanIi = boxMean(ii, width, height, r);
  const a = new Float32Array(n);
  const b = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const mi = meanI[i] as number;
    const cov = (meanIp[i] as number) - mi * (meanP[i] as number);
    const variance = (meanIi[i] as number) - mi * mi;
    a[i] = cov / (variance + eps);
    b[i] = (meanP[i] as number) - (a[i] as number) * mi;
  }
  const meanA = boxMean(a, width, height, r);
  const meanB = boxMean(b, width, height, r);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++)
    out[i] = (meanA[i] as number) * (guide[i] as number) + (meanB[i] as number);
  return out;
}
