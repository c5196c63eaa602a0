/** Keeps the last `size` samples and summarises them. */
export class RollingSamples {
  private readonly values: number[] = [];
  constructor(private readonly size = 120) {}

  push(value: number): void {
    this.values.push(value);
    if (this.values.length > this.size) this.values.shift();
  }

  /** p-th percentile (0–100), NaN when empty. */
  percentile(p: number): number {
    if (this.values.length === 0) return Number.NaN;
    const sorted = [...this.values].sort((a, b) => a - b);
    return sorted[
      Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
    ] as number;
  }

  get count(): number {
    return this.values.length;
  }
}
