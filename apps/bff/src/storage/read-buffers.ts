/**
 * Read buffers for file bodies, used again once the socket has taken their bytes. A fresh 1–2 MiB
 * buffer per range is memory the kernel hands over and zeroes each time, and external memory that
 * drives V8's collections: reusing them measured 7% less time per 1 MB range and 15% less server
 * CPU (node:http on loopback, sequential ranges, same run).
 *
 * A buffer is given back only when the write that holds it has completed (its callback ran without
 * an error); one whose write failed or never finished is left to the garbage collector, so a
 * buffer is never read from and refilled at once. At most `keep` idle buffers are kept, and all of
 * them are let go after `idleMs` without use.
 */
export class ReadBuffers {
  private readonly idle: Buffer[] = [];
  private sweeper: NodeJS.Timeout | undefined;
  private lastUsed = 0;

  constructor(
    /** Bytes per buffer: the largest read asked for. */
    readonly size: number,
    private readonly options: { keep?: number; idleMs?: number } = {},
  ) {}

  /** Idle buffers kept now (for tests). */
  get idleCount(): number {
    return this.idle.length;
  }

  /** `length` bytes (at most `size`) of a buffer to read into; give it back with `giveBack`. */
  take(length: number): Buffer {
    if (length > this.size)
      throw new RangeError(`${length} bytes asked of ${this.size}-byte buffers`);
    this.lastUsed = performance.now();
    const whole = this.idle.pop() ?? Buffer.allocUnsafeSlow(this.size);
    return whole.subarray(0, length);
  }

  /** A buffer from `take` whose bytes nothing reads any more. */
  giveBack(buffer: Buffer): void {
    if (buffer.buffer.byteLength !== this.size || this.idle.length >= (this.options.keep ?? 4))
      return;
    this.idle.push(Buffer.from(buffer.buffer, 0, this.size));
    this.sweepLater();
  }

  /** Lets every idle buffer go. */
  clear(): void {
    clearTimeout(this.sweeper);
    this.sweeper = undefined;
    this.idle.length = 0;
  }

  private sweepLater(): void {
    if (this.sweeper) return;
    const idleMs = this.options.idleMs ?? 30_000;
    this.sweeper = setTimeout(() => {
      this.sweeper = undefined;
      if (performance.now() - this.lastUsed >= idleMs) this.idle.length = 0;
      else this.sweepLater();
    }, idleMs);
    this.sweeper.unref();
  }
}
