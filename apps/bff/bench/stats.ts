import http from 'node:http';

/** The p-th percentile (0–100) of samples, nearest rank. */
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export function summarise(samples: number[]): { p50: number; p95: number; p99: number } {
  return {
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    p99: percentile(samples, 99),
  };
}

export const ms = (value: number) => `${value.toFixed(2)} ms`;

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

/** GET over a keep-alive connection; counts the body bytes without keeping them. */
export function httpGet(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; bytes: number; body?: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent, headers }, (res) => {
        let bytes = 0;
        const keep = (res.headers['content-type'] ?? '').includes('json');
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (keep) chunks.push(chunk);
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            bytes,
            ...(keep ? { body: Buffer.concat(chunks).toString() } : {}),
          }),
        );
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/** Times `fn` `count` times in sequence; milliseconds per call. */
export async function timeEach(
  count: number,
  fn: (i: number) => Promise<unknown>,
): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await fn(i);
    samples.push(performance.now() - started);
  }
  return samples;
}
