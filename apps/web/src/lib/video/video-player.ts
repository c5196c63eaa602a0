/** What a video's controls show. */
export interface VideoPlayerState {
  /** Seconds. */
  time: number;
  duration: number;
  paused: boolean;
  loop: boolean;
  /** Muted because the browser refused sound without a user gesture (a tap unmutes). */
  muted: boolean;
  /** A frame is decoded and can be shown (until then the poster is). */
  ready: boolean;
  /** The URL whose frames the element shows (set once its first frame is decoded). */
  showing: string | null;
  error: string | null;
}

/** Before anything is loaded. */
export const IDLE_VIDEO_STATE: VideoPlayerState = {
  time: 0,
  duration: 0,
  paused: true,
  loop: true,
  muted: false,
  ready: false,
  showing: null,
  error: null,
};

/** How far the arrow keys and the thumbstick seek. */
export const SEEK_STEP_SECONDS = 5;

/**
 * The one video element of an open item: what it plays (the depth video, or the original while
 * that is not made yet — switched in place, keeping the time), play/pause, seeking, looping, and a
 * count of the frames it has presented (a depth surface re-reads its depth when it changes).
 * Released on dispose: no element, decoder or network stream outlives the view.
 */
export class VideoPlayer {
  readonly element: HTMLVideoElement;
  /** Frames presented since it was created. */
  frame = 0;
  private url: string | null = null;
  private state: VideoPlayerState = IDLE_VIDEO_STATE;
  private readonly listeners = new Set<() => void>();
  private frameCallback = 0;
  private disposed = false;

  constructor() {
    const video = document.createElement('video');
    video.playsInline = true;
    video.preload = 'auto';
    video.loop = true;
    video.crossOrigin = 'anonymous';
    this.element = video;
    const update = () => this.update();
    for (const event of [
      'timeupdate',
      'durationchange',
      'play',
      'pause',
      'seeked',
      'volumechange',
      'loadeddata',
      'emptied',
    ])
      video.addEventListener(event, update);
    video.addEventListener('error', () => {
      this.set({ error: describeMediaError(video.error) });
    });
    this.watchFrames();
  }

  /** Plays `url` (again in place when it changes: same element, same time, still playing). */
  load(url: string): void {
    if (this.disposed || url === this.url) return;
    const video = this.element;
    const first = this.url === null;
    const time = video.currentTime;
    const playing = !video.paused;
    this.url = url;
    this.set({ error: null });
    video.src = url;
    if (!first && time > 0) video.currentTime = time;
    if (first || playing) void this.play();
  }

  async play(): Promise<void> {
    const video = this.element;
    try {
      await video.play();
    } catch (error) {
      if ((error as DOMException).name !== 'NotAllowedError' || this.disposed) return;
      // No sound without a gesture: play muted, and a tap (toggle, unmute) brings the sound.
      video.muted = true;
      await video.play().catch(() => undefined);
    }
  }

  pause(): void {
    this.element.pause();
  }

  /** Play ↔ pause; the first tap on a muted video (autoplay) also turns its sound on. */
  toggle(): void {
    const video = this.element;
    if (video.paused) {
      video.muted = false;
      void this.play();
    } else video.pause();
  }

  unmute(): void {
    this.element.muted = false;
  }

  seek(seconds: number): void {
    const video = this.element;
    const end = Number.isFinite(video.duration) ? video.duration : seconds;
    video.currentTime = Math.max(0, Math.min(end, seconds));
    this.update();
  }

  seekBy(seconds: number): void {
    this.seek(this.element.currentTime + seconds);
  }

  setLoop(loop: boolean): void {
    this.element.loop = loop;
    this.update();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): VideoPlayerState => this.state;

  dispose(): void {
    this.disposed = true;
    const video = this.element;
    video.cancelVideoFrameCallback?.(this.frameCallback);
    video.pause();
    video.removeAttribute('src');
    video.load(); // drops the decoder and the stream
    this.listeners.clear();
  }

  private watchFrames(): void {
    const video = this.element;
    if (!video.requestVideoFrameCallback) return;
    const onFrame = () => {
      this.frame++;
      if (!this.state.ready) this.update();
      if (!this.disposed) this.frameCallback = video.requestVideoFrameCallback(onFrame);
    };
    this.frameCallback = video.requestVideoFrameCallback(onFrame);
  }

  private update(): void {
    const video = this.element;
    this.set({
      time: video.currentTime,
      duration: Number.isFinite(video.duration) ? video.duration : 0,
      paused: video.paused,
      loop: video.loop,
      muted: video.muted,
      ready: video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA,
      showing:
        video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA ? this.url : this.state.showing,
    });
  }

  private set(change: Partial<VideoPlayerState>): void {
    const next = { ...this.state, ...change };
    if (
      (Object.keys(next) as Array<keyof VideoPlayerState>).every((k) => next[k] === this.state[k])
    )
      return;
    this.state = next;
    for (const listener of this.listeners) listener();
  }
}

function describeMediaError(error: MediaError | null): string {
  switch (error?.code) {
    case MediaError.MEDIA_ERR_DECODE:
      return 'the video could not be decoded';
    case MediaError.MEDIA_ERR_SRC_NOT_SUPPORTED:
      return 'this browser cannot play the video (format or codec)';
    case MediaError.MEDIA_ERR_NETWORK:
      return 'the video stopped loading (network)';
    default:
      return 'the video could not be played';
  }
}

/** m:ss (or h:mm:ss) for a time in seconds. */
export function formatVideoTime(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}
