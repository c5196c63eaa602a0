import type { DepthModelStatus } from '@immichvr/shared';

export interface DepthModelSource {
  status(): Promise<DepthModelStatus>;
  fetch(): Promise<DepthModelStatus>;
}

export interface DepthModelView {
  status: DepthModelStatus | null;
  /** Why the status could not be read or the download not started; null when it could. */
  error: string | null;
}

/**
 * The depth model status, one copy for the page and the headset: read once, then every
 * `pollMs` while a download runs (ten times slower while heuristic maps are made again), so progress moves
 * without a stream of its own.
 */
export class DepthModelStore {
  private view: DepthModelView = { status: null, error: null };
  private readonly listeners = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly source: DepthModelSource,
    private readonly pollMs = 500,
  ) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    if (this.listeners.size === 1 && !this.view.status) void this.refresh();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) clearTimeout(this.timer);
    };
  };

  getView = (): DepthModelView => this.view;

  async refresh(): Promise<void> {
    clearTimeout(this.timer);
    try {
      this.set({ status: await this.source.status(), error: null });
    } catch (error) {
      this.set({ ...this.view, error: (error as Error).message });
    }
    this.schedule();
  }

  /** Asks the server to fetch the model; progress follows by polling. */
  async download(): Promise<void> {
    try {
      this.set({ status: await this.source.fetch(), error: null });
    } catch (error) {
      this.set({ ...this.view, error: (error as Error).message });
    }
    this.schedule();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    const s = this.view.status;
    // Fast while bytes arrive; slowly while the library's maps are being made again.
    const delay =
      s?.download.state === 'downloading'
        ? this.pollMs
        : s?.download.state === 'installed' && s.heuristicMaps > 0
          ? this.pollMs * 10
          : null;
    if (delay !== null && this.listeners.size > 0)
      this.timer = setTimeout(() => void this.refresh(), delay);
  }

  private set(view: DepthModelView): void {
    this.view = view;
    for (const listener of this.listeners) listener();
  }
}
