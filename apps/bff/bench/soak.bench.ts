import { withBenchDatabase } from './fixtures';
import { runSoak, slope } from './soak';

/**
 * pnpm bench soak: 50 clients for 10 minutes (SOAK_SECONDS, SOAK_CLIENTS to change) on loopback,
 * PostgreSQL when BENCH_DATABASE_URL/TEST_DATABASE_URL's server is reachable, else embedded.
 * Reports the curve per 30 s and whether fds and memory stay flat from minute 2 on.
 */
export async function benchSoak(): Promise<void> {
  const seconds = Number(process.env.SOAK_SECONDS ?? 600);
  const clients = Number(process.env.SOAK_CLIENTS ?? 50);
  const run = async (databaseUrl: string | undefined) => {
    console.log(
      `soak: ${clients} clients for ${seconds} s on ${databaseUrl ? 'PostgreSQL' : 'the embedded engine'}, 300 photos, the worker reprocessing one item every 2 s`,
    );
    const result = await runSoak({
      seconds,
      clients,
      photos: 300,
      databaseUrl,
      windowSeconds: Number(process.env.SOAK_WINDOW_SECONDS ?? 30),
      log: (line) => console.log(line),
    });
    const steady = result.windows.filter((w) => w.endsAtSeconds > 120);
    const basis = steady.length >= 2 ? steady : result.windows;
    const fds = basis.map((w) => w.openFds);
    const rssPerMinute = slope(basis.map((w) => [w.endsAtSeconds / 60, w.rssFloorMb]));
    const p99s = basis.map((w) => w.listP99);
    console.log(
      `total ${result.requests} requests, ${result.errors.length} errors${result.errors.length ? ` (${result.errors.slice(0, 5).join('; ')})` : ''}; ` +
        `${result.jobsQueued} reprocess requests; from ${basis[0]?.endsAtSeconds ?? 0} s on: fds ${Math.min(...fds)}–${Math.max(...fds)}, ` +
        `RSS floor slope ${rssPerMinute.toFixed(2)} MB/min (last/first ${((basis.at(-1)?.rssFloorMb ?? 0) / (basis[0]?.rssFloorMb ?? 1)).toFixed(2)}×), ` +
        `list p99 ${Math.min(...p99s).toFixed(1)}–${Math.max(...p99s).toFixed(1)} ms`,
    );
  };
  try {
    await withBenchDatabase(async (_db, url) => run(url));
  } catch (error) {
    if (!/ECONNREFUSED|connect/i.test(String(error))) throw error;
    await run(undefined);
  }
}
