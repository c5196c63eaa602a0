import path from 'node:path';
import { z } from 'zod';
import { parseBytes } from './util/parse-units';

/**
 * The environment, parsed and validated once. Nothing else in the BFF reads process.env.
 * Relative paths are resolved against the folder the command was started from (pnpm runs
 * package scripts inside the package, but sets INIT_CWD to where the user typed the command).
 */
const portSchema = z.coerce
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .min(1, 'must be between 1 and 65535')
  .max(65535, 'must be between 1 and 65535');

const envSchema = z.object({
  PORT: portSchema.default(21370),
  HOST: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .regex(/^[\w.:[\]-]+$/, 'must be a host name or IP address')
    .default('127.0.0.1'),
  DATA_DIR: z.string().trim().min(1, 'must not be empty').default('./data'),
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  FFMPEG_PATH: z.string().trim().min(1).default('ffmpeg'),
  FFPROBE_PATH: z.string().trim().min(1).default('ffprobe'),
  MAX_UPLOAD_BYTES: z.coerce
    .number({ error: 'must be a number of bytes' })
    .int('must be a whole number of bytes')
    .positive('must be positive')
    .default(4 * 1024 ** 3),
  PREVIEW_CONCURRENCY: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(64, 'must be at most 64')
    .optional(),
  WORKER_CONCURRENCY: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(0, 'must be 0 (no worker in this process) or more')
    .max(64, 'must be at most 64')
    .default(1),
  WORKER_LEASE_SECONDS: z.coerce
    .number({ error: 'must be a number of seconds' })
    .min(2, 'must be at least 2')
    .max(3600, 'must be at most 3600')
    .default(60),
  DEPTH_SERVICE_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .optional()
    .or(z.literal('').transform(() => undefined)),
  DEPTH_SERVICE_PROTOCOL: z
    .enum(['immichvr', 'open-inference'], { error: 'must be immichvr or open-inference' })
    .default('immichvr'),
  DEPTH_MODEL_PATH: z.string().trim().optional(),
  DEPTH_MODEL_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .optional()
    .or(z.literal('').transform(() => undefined)),
  DEPTH_MODEL_SHA256: z
    .string()
    .trim()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex digits')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  DEPTH_EXECUTION_PROVIDER: z
    .enum(['auto', 'cuda', 'cpu'], { error: 'must be auto, cuda or cpu' })
    .default('auto'),
  DEPTH_SERVICE_TIMEOUT_MS: z.coerce
    .number({ error: 'must be a number of milliseconds' })
    .int('must be a whole number')
    .min(100, 'must be at least 100')
    .default(120_000),
  DEMO_LIBRARY: z.enum(['auto', 'on', 'off'], { error: 'must be auto, on or off' }).default('auto'),
  HTTPS_PORT: portSchema.default(21443),
  TLS_CERT: z.string().trim().optional(),
  TLS_KEY: z.string().trim().optional(),
  API_TOKEN: z
    .string()
    .trim()
    .min(24, 'must be at least 24 characters (e.g. openssl rand -hex 24)')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  MAX_IMAGE_PIXELS: z.coerce
    .number({ error: 'must be a number of pixels' })
    .int('must be a whole number')
    .min(1_000_000, 'must be at least 1000000')
    .default(200_000_000),
  ALLOWED_HOSTS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
    ),
  IMMICH_URL: z
    .url({
      protocol: /^https?$/,
      error: 'must be the http:// or https:// address of your Immich server',
    })
    .optional()
    .or(z.literal('').transform(() => undefined)),
  IMMICH_API_KEY: z.string().trim().optional(),
  IMMICH_MEDIA_PATH: z
    .string()
    .trim()
    .regex(
      /^(\/[^=]*=)?\/.*$/,
      'must be an absolute folder, or <path in Immich>=<folder here> (e.g. /data=/mnt/immich)',
    )
    .optional()
    .or(z.literal('').transform(() => undefined)),
  IMMICH_SYNC_INTERVAL_MINUTES: z.coerce
    .number({ error: 'must be a number of minutes' })
    .min(0, 'must be 0 (no background sync) or more')
    .max(10_080, 'must be at most 10080 (a week)')
    .default(15),
  IMMICH_CACHE_MAX_BYTES: z
    .string()
    .default('10G')
    .transform((v, ctx) => {
      const bytes = parseBytes(v);
      if (bytes === null || bytes < 64 * 1024 ** 2) {
        ctx.addIssue({ code: 'custom', message: 'must be a size of at least 64M, e.g. 10G' });
        return z.NEVER;
      }
      return bytes;
    }),
  LAN_TRUST_LOOPBACK: z
    .enum(['true', 'false', '1', '0', ''], { error: 'must be true or false' })
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
});

export type Env = {
  port: number;
  host: string;
  /** Absolute path of the data folder: embedded database, media, previews, depth maps. */
  dataDir: string;
  databaseUrl: string | undefined;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  ffmpegPath: string;
  ffprobePath: string;
  /** Largest accepted upload. */
  maxUploadBytes: number;
  /** Previews generated at once; default: one per CPU core. */
  previewConcurrency: number | undefined;
  /** Depth jobs run at once by this process (0: none; run `pnpm worker` elsewhere). */
  workerConcurrency: number;
  /** A job whose worker stops renewing for this long goes back to the queue. */
  workerLeaseSeconds: number;
  /** A remote depth service (image in, 16-bit PNG out); unset = the built-in estimator. */
  depthServiceUrl: string | undefined;
  depthServiceTimeoutMs: number;
  /**
   * immichvr: JPEG in, 16-bit PNG out. open-inference: the Open Inference Protocol (KServe v2) of
   * an inference server such as NVIDIA Triton; DEPTH_SERVICE_URL is then the model's endpoint.
   */
  depthServiceProtocol: 'immichvr' | 'open-inference';
  /**
   * An ONNX depth model (Depth Anything V2 or the same signature). Default: the one `pnpm
   * model:fetch` puts in DATA_DIR/models, when it is there.
   */
  depthModelPath: string | undefined;
  /**
   * Where the app fetches Depth Anything V2 Small from (a mirror) and the SHA-256 the file must
   * have; default: the pinned Hugging Face revision and its hash.
   */
  depthModelUrl: string | undefined;
  depthModelSha256: string | undefined;
  /** auto: CUDA when onnxruntime-node can use it, else the CPU (with a log line saying why). */
  depthExecutionProvider: 'auto' | 'cuda' | 'cpu';
  /**
   * auto: the demo on the first start of an empty embedded library, unless an Immich server is set;
   * on: then even with one (the end-to-end tests show both); off: never.
   */
  demoLibrary: 'auto' | 'on' | 'off';
  /** HTTPS port on the LAN (`--lan`); PORT then redirects to it. */
  httpsPort: number;
  /** The user's certificate and key; unset = one generated in DATA_DIR/tls. */
  tlsCert: string | undefined;
  tlsKey: string | undefined;
  /** Bearer token for scripts on the LAN (Authorization: Bearer …). */
  apiToken: string | undefined;
  /** Images larger than this are refused before they are decoded (decompression bombs). */
  maxImagePixels: number;
  /** More names this server is reached by (a reverse proxy's, a DNS name); see allowed-hosts.ts. */
  allowedHosts: string[];
  /** On the LAN, let requests from this machine in without pairing (off unless asked for). */
  lanTrustLoopback: boolean;
  /** An Immich server to show the library of (IMMICH_URL + IMMICH_API_KEY); unset = none. */
  immich: ImmichEnv | undefined;
};

export interface ImmichEnv {
  url: string;
  apiKey: string;
  /**
   * Immich's library mounted on this machine: originals are served in place. `immichPrefix` is
   * the path Immich's `originalPath` starts with (default /data, Immich's own upload location).
   */
  mount: { immichPrefix: string; localPath: string } | undefined;
  /** Minutes between background syncs in `pnpm start` (0: only `pnpm immich:sync`). */
  syncIntervalMinutes: number;
  /** Largest size of the originals and previews fetched from Immich into DATA_DIR/sources. */
  cacheMaxBytes: number;
}

/** `/mnt/immich` or `/usr/src/app/upload=/mnt/immich`. */
function parseImmichMount(value: string | undefined, base: string) {
  if (!value) return undefined;
  const at = value.indexOf('=');
  const immichPrefix = at === -1 ? '/data' : value.slice(0, at);
  const local = at === -1 ? value : value.slice(at + 1);
  return {
    immichPrefix: immichPrefix.replace(/\/+$/, '') || '/',
    localPath: path.resolve(base, local),
  };
}

export class EnvError extends Error {
  override name = 'EnvError';
}

/** The folder relative paths given by the user are resolved against. */
export function invocationDir(source: NodeJS.ProcessEnv = process.env): string {
  return source.INIT_CWD ?? process.cwd();
}

export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const issue = result.error.issues[0];
    const key = String(issue?.path[0] ?? 'environment');
    const given = source[key];
    throw new EnvError(
      `Invalid ${key}${given === undefined ? '' : `=${JSON.stringify(given)}`}: ${issue?.message ?? 'invalid value'} (see .env.example)`,
    );
  }
  const e = result.data;
  if (e.IMMICH_URL && !e.IMMICH_API_KEY)
    throw new EnvError(
      'Invalid IMMICH_API_KEY: IMMICH_URL is set, so an API key is needed (Immich: Account Settings → API Keys; see .env.example)',
    );
  if (Boolean(e.TLS_CERT) !== Boolean(e.TLS_KEY))
    throw new EnvError('Invalid TLS_CERT/TLS_KEY: give both, or neither (see .env.example)');
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(invocationDir(source), e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    logLevel: e.LOG_LEVEL,
    ffmpegPath: e.FFMPEG_PATH,
    ffprobePath: e.FFPROBE_PATH,
    maxUploadBytes: e.MAX_UPLOAD_BYTES,
    previewConcurrency: e.PREVIEW_CONCURRENCY,
    workerConcurrency: e.WORKER_CONCURRENCY,
    workerLeaseSeconds: e.WORKER_LEASE_SECONDS,
    depthServiceUrl: e.DEPTH_SERVICE_URL,
    depthServiceTimeoutMs: e.DEPTH_SERVICE_TIMEOUT_MS,
    depthServiceProtocol: e.DEPTH_SERVICE_PROTOCOL,
    depthModelPath: e.DEPTH_MODEL_PATH
      ? path.resolve(invocationDir(source), e.DEPTH_MODEL_PATH)
      : undefined,
    depthModelUrl: e.DEPTH_MODEL_URL,
    depthModelSha256: e.DEPTH_MODEL_SHA256?.toLowerCase(),
    depthExecutionProvider: e.DEPTH_EXECUTION_PROVIDER,
    demoLibrary: e.DEMO_LIBRARY,
    httpsPort: e.HTTPS_PORT,
    tlsCert: e.TLS_CERT ? path.resolve(invocationDir(source), e.TLS_CERT) : undefined,
    tlsKey: e.TLS_KEY ? path.resolve(invocationDir(source), e.TLS_KEY) : undefined,
    apiToken: e.API_TOKEN,
    maxImagePixels: e.MAX_IMAGE_PIXELS,
    allowedHosts: e.ALLOWED_HOSTS,
    lanTrustLoopback: e.LAN_TRUST_LOOPBACK,
    immich: e.IMMICH_URL
      ? {
          url: e.IMMICH_URL,
          apiKey: e.IMMICH_API_KEY as string,
          mount: parseImmichMount(e.IMMICH_MEDIA_PATH, invocationDir(source)),
          syncIntervalMinutes: e.IMMICH_SYNC_INTERVAL_MINUTES,
          cacheMaxBytes: e.IMMICH_CACHE_MAX_BYTES,
        }
      : undefined,
  };
}
