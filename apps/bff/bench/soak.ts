import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../src/db/database';
import { migrate } from '../src/db/migrate';
import { importFolder } from '../src/services/import.service';
import { writeDetailedJpeg } from './fixtures';
import { percentile } from './stats';

export interface SoakOptions {
  seconds: number;
  clients: number;
  photos: number;
  /** PostgreSQL URL of an empty database; undefined = the embedded engine in DATA_DIR. */
  databaseUrl: string | undefined;
  windowSeconds: number;
  log: (line: string) => void;
}

export interface SoakWindow {
  endsAtSeconds: number;
  requests: number;
  errors: number;
  listP50: number;
  listP99: number;
  openFds: number;
  rssMb: number;
  /**
   * The lowest RSS sampled (once a second) in the window: the memory the server keeps after its
   * collections. A leak raises this floor; heaps breathing between collections do not.
   */
  rssFloorMb: number;
  /** The highest RSS sampled (once a second) in the window. */
  rssPeakMb: number;
  jobsCompleted: number;
}

export interface SoakResult {
  windows: SoakWindow[];
  requests: number;
  errors: string[];
  jobsQueued: number;
}

const BFF_DIR = path.resolve(import.meta.dirname, '..');

/** Server-side counts read from /proc: open file descriptors and resident memory. */
function processStats(pid: number): { fds: number; rssMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return { fds: readdirSync(`/proc/${pid}/fd`).length, rssMb: rssKb / 1024 };
}

/** The real BFF (its own process, `node src/main.ts`) on a library of `photos` generated JPEGs. */
async function startLibrary(options: SoakOptions) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'immichvr-soak-'));
  const media = path.join(dataDir, 'media');
  await mkdir(media, { recursive: true });
  for (let i = 0; i < options.photos; i++)
    await writeDetailedJpeg(path.join(media, `photo-${String(i).padStart(4, '0')}.jpg`), i, {
      width: 1600,
      height: 1200,
    });
  const db = await openDatabase(
    options.databaseUrl
      ? { engine: 'postgres', url: options.databaseUrl }
      : { engine: 'embedded', dataDir },
  );
  await migrate(db);
  await importFolder(db, media, { ffprobePath: 'ffprobe', queue: false });
  await db.close();
  const port = 21600 + Math.floor(Math.random() * 300);
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: BFF_DIR,
    env: {
      ...process.env,
      PORT: String(port),
      DATA_DIR: dataDir,
      DATABASE_URL: options.databaseUrl ?? '',
      DEMO_LIBRARY: 'off',
      LOG_LEVEL: 'warn',
      WORKER_CONCURRENCY: '1',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if ((await fetch(`${base}/api/health`).catch(() => null))?.ok) break;
    if (i > 300 || child.exitCode !== null) throw new Error(`the BFF did not start:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    child,
    stderr: () => stderr,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * N clients browse for a while like people with the app open: each holds the live event stream,
 * pages through the library (with filters), fetches thumbnails and previews, and streams ranges
 * of originals, with a short pause between; meanwhile items are sent for reprocessing and the
 * worker runs. Every `windowSeconds`: requests, errors, list latency, and the server's open file
 * descriptors and memory.
 */
export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const library = await startLibrary(options);
  const { base } = library;
  const pid = (library.child as ChildProcess).pid as number;
  const errors: string[] = [];
  let requests = 0;
  let windowRequests = 0;
  let windowErrors = 0;
  let listSamples: number[] = [];
  let running = true;
  const all = (await (await fetch(`${base}/api/media?limit=200`)).json()) as {
    items: Array<{ id: string }>;
  };
  const ids = all.items.map((i) => i.id);
  const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)] as T;
  const fail = (what: string) => {
    windowErrors++;
    if (errors.length < 50) errors.push(what);
  };
  /** A GET whose body is read to the end; the text is kept when asked for. */
  const get = async (pathname: string, headers: Record<string, string> = {}, keepText = false) => {
    requests++;
    windowRequests++;
    try {
      const res = await fetch(`${base}${pathname}`, {
        headers,
        signal: AbortSignal.timeout(30_000),
      });
      let text: string | undefined;
      if (keepText) text = await res.text();
      else await res.arrayBuffer();
      if (!res.ok) fail(`${res.status} ${pathname}`);
      return { ok: res.ok, text };
    } catch (error) {
      fail(`${(error as Error).name} ${pathname}`);
      return null;
    }
  };

  const client = async () => {
    const events = new AbortController();
    const stream = fetch(`${base}/api/events`, { signal: events.signal })
      .then(async (res) => {
        const reader = res.body?.getReader();
        while (running && reader) if ((await reader.read()).done) break;
        if (running) fail('event stream ended');
      })
      .catch((error: Error) => running && fail(`event stream: ${error.name}`));
    while (running) {
      let cursor: string | null = null;
      const filter = pick(['', '&hasDepth=true', '&type=photo', '&status=completed']);
      for (let page = 0; page < 3 && running; page++) {
        const started = performance.now();
        const res = await get(
          `/api/media?limit=50${filter}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          {},
          true,
        );
        listSamples.push(performance.now() - started);
        cursor =
          res?.ok && res.text
            ? ((JSON.parse(res.text) as { nextCursor: string | null }).nextCursor ?? null)
            : null;
        if (!cursor) break;
      }
      const id = pick(ids);
      await get(`/api/media/${id}/preview?size=${Math.random() < 0.8 ? 256 : 2048}`);
      const start = Math.floor(Math.random() * 200_000);
      await get(`/api/media/${id}/original`, { range: `bytes=${start}-${start + 65_535}` });
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 150));
    }
    events.abort();
    await stream;
  };
  const reprocessor = async () => {
    let queued = 0;
    while (running) {
      const res = await fetch(`${base}/api/media/${pick(ids)}/reprocess`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"priority":5}',
      }).catch(() => null);
      if (res && (res.status === 202 || res.status === 200)) queued++;
      else fail(`reprocess ${res?.status ?? 'network'}`);
      await new Promise((r) => setTimeout(r, 2_000));
    }
    return queued;
  };

  const windows: SoakWindow[] = [];
  const started = performance.now();
  const sampler = (async () => {
    while (running) {
      let rssFloorMb = Number.POSITIVE_INFINITY;
      let rssPeakMb = 0;
      const windowEnds = performance.now() + options.windowSeconds * 1000;
      for (let now = performance.now(); now < windowEnds; now = performance.now()) {
        await new Promise((r) => setTimeout(r, Math.min(1000, windowEnds - now)));
        const sampled = processStats(pid).rssMb;
        rssFloorMb = Math.min(rssFloorMb, sampled);
        rssPeakMb = Math.max(rssPeakMb, sampled);
      }
      const { fds, rssMb } = processStats(pid);
      const summary = (await (
        await fetch(`${base}/api/queue/summary`)
      )
        .json()
        .catch(() => ({ rows: [] }))) as {
        rows: Array<{ status: string; count: number }>;
      };
      const window: SoakWindow = {
        endsAtSeconds: Math.round((performance.now() - started) / 1000),
        requests: windowRequests,
        errors: windowErrors,
        listP50: percentile(listSamples, 50),
        listP99: percentile(listSamples, 99),
        openFds: fds,
        rssMb,
        rssFloorMb: Math.min(rssFloorMb, rssMb),
        rssPeakMb: Math.max(rssPeakMb, rssMb),
        jobsCompleted: summary.rows.find((r) => r.status === 'completed')?.count ?? 0,
      };
      windows.push(window);
      options.log(
        `${String(window.endsAtSeconds).padStart(5)} s  ${String(window.requests).padStart(6)} req  ${window.errors} err  list p50 ${window.listP50.toFixed(1)} ms p99 ${window.listP99.toFixed(1)} ms  fds ${window.openFds}  rss ${window.rssMb.toFixed(0)} MB (${window.rssFloorMb.toFixed(0)}–${window.rssPeakMb.toFixed(0)})  jobs done ${window.jobsCompleted}`,
      );
      windowRequests = 0;
      windowErrors = 0;
      listSamples = [];
    }
  })();

  const stopAt = setTimeout(() => {
    running = false;
  }, options.seconds * 1000);
  const [queuedJobs] = await Promise.all([
    reprocessor(),
    ...Array.from({ length: options.clients }, client),
  ]);
  clearTimeout(stopAt);
  await sampler;
  await library.stop();
  return { windows, requests, errors, jobsQueued: queuedJobs };
}

/** Least-squares slope of y over x (per unit of x). */
export function slope(points: Array<[number, number]>): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const num = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const den = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}
