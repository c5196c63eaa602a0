import type { MediaType } from '@immichvr/shared';

/**
 * What a queue job does, from the item it is for: photos and videos share the queue (its leases,
 * retries, cancel and live events) and differ in the handler that runs them.
 */
export const JOB_KINDS = ['photo-depth', 'video-depth'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export function jobKindOf(mediaType: MediaType): JobKind {
  return mediaType === 'video' ? 'video-depth' : 'photo-depth';
}
