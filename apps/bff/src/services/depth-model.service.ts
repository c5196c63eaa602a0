import { existsSync } from 'node:fs';
import path from 'node:path';
import { type DepthModelStatus, describeDepthModel, HEURISTIC_DEPTH_MODEL } from '@immichvr/shared';
import type { Database } from '../db/database';
import { countDepthMapsFrom } from '../db/queries/depth-maps.queries';
import { ConflictError } from '../errors';
import type { Logger } from '../logger';
import { defaultModelFile } from '../worker/create-worker';
import {
  DEPTH_ANYTHING_V2_SMALL,
  fetchModel,
  ModelFetchError,
  type PinnedModel,
  partialFileOf,
} from '../worker/depth/fetch-model';

export interface DepthModelConfig {
  dataDir: string;
  depthServiceUrl?: string | undefined;
  depthModelPath?: string | undefined;
  /** The model offered (default: Depth Anything V2 Small, pinned). */
  model?: PinnedModel;
  /** Gives up on a server that sends nothing for this long (default 30 s). */
  idleTimeoutMs?: number;
}

type Download = DepthModelStatus['download'];

/**
 * The app's side of "real depth out of the box": what makes depth maps now, the model it offers
 * while there is none, and one download of it at a time (resumable, pinned by SHA-256; see
 * fetch-model.ts). The worker notices the installed file on its own (model-upgrade.ts).
 */
export class DepthModelService {
  private download: Download = {
    state: 'idle',
    received: 0,
    total: null,
    error: null,
    resumable: false,
  };
  private running: Promise<void> | null = null;
  private readonly abort = new AbortController();
  readonly model: PinnedModel;
  readonly file: string;

  constructor(
    private readonly db: Database,
    private readonly logger: Logger,
    private readonly config: DepthModelConfig,
  ) {
    this.model = config.model ?? DEPTH_ANYTHING_V2_SMALL;
    this.file = defaultModelFile(config.dataDir);
  }

  /** Where depth comes from: a service, a model file, or the built-in estimator. */
  estimator(): DepthModelStatus['estimator'] {
    if (this.config.depthServiceUrl)
      return {
        kind: 'service',
        label: `Depth service at ${new URL(this.config.depthServiceUrl).host}`,
      };
    if (this.config.depthModelPath)
      // The file's name only: clients on the LAN need not learn the server's folders.
      return { kind: 'model', label: `Model ${path.basename(this.config.depthModelPath)}` };
    if (existsSync(this.file)) return { kind: 'model', label: this.model.name };
    return { kind: 'heuristic', label: describeDepthModel(HEURISTIC_DEPTH_MODEL).label };
  }

  async status(): Promise<DepthModelStatus> {
    const estimator = this.estimator();
    const partial = this.download.state !== 'downloading' && existsSync(partialFileOf(this.file));
    return {
      estimator,
      offer:
        estimator.kind === 'heuristic'
          ? { name: this.model.name, license: this.model.license, bytes: this.model.bytes ?? null }
          : null,
      download: { ...this.download, resumable: this.download.resumable || partial },
      heuristicMaps: await countDepthMapsFrom(this.db, HEURISTIC_DEPTH_MODEL),
    };
  }

  /**
   * Starts fetching the offered model unless it is there or already coming; false when nothing
   * was started. Refused (409) when a depth service or model file is configured instead.
   */
  start(): boolean {
    const kind = this.estimator().kind;
    if (kind === 'service')
      throw new ConflictError('depth comes from DEPTH_SERVICE_URL; there is no model to fetch');
    if (this.config.depthModelPath)
      throw new ConflictError('DEPTH_MODEL_PATH names the model; there is nothing to fetch');
    if (kind === 'model' || this.running) return false;
    this.running = this.run().finally(() => {
      this.running = null;
    });
    return true;
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.running;
  }

  private async run(): Promise<void> {
    this.download = {
      state: 'downloading',
      received: 0,
      total: this.model.bytes ?? null,
      error: null,
      resumable: false,
    };
    this.logger.info('fetching the depth model', { model: this.model.name, to: this.file });
    try {
      const bytes = await fetchModel(this.model, this.file, {
        signal: this.abort.signal,
        ...(this.config.idleTimeoutMs ? { idleTimeoutMs: this.config.idleTimeoutMs } : {}),
        onProgress: (received, total) => {
          this.download.received = received;
          this.download.total = total;
        },
      });
      this.download = {
        state: 'installed',
        received: bytes,
        total: bytes,
        error: null,
        resumable: false,
      };
      this.logger.info('depth model installed', { model: this.model.name, bytes });
    } catch (error) {
      const message =
        error instanceof ModelFetchError ? error.message : `the download failed: ${String(error)}`;
      this.download = {
        ...this.download,
        state: 'failed',
        error: message,
        resumable: error instanceof ModelFetchError && error.resumable,
      };
      this.logger.warn('the depth model could not be fetched; the built-in estimator stays', {
        error: message,
      });
    }
  }
}
