import type { DepthEstimator } from './estimator';

/**
 * The estimator jobs use now. A job reads it once when it starts and keeps that one to the end, so
 * a model that arrives mid-job (see model-upgrade.ts) is used from the next job on and each depth
 * map records the estimator that really made it.
 */
export class EstimatorSlot {
  constructor(private estimator: DepthEstimator) {}

  get current(): DepthEstimator {
    return this.estimator;
  }

  /** Puts `next` in place and returns the one it replaced. */
  replace(next: DepthEstimator): DepthEstimator {
    const previous = this.estimator;
    this.estimator = next;
    return previous;
  }
}
