import type { ProcessingStatus } from '@immichvr/shared';

/** How an item's processing status looks, the same on the page, on the VR wall and in panels. */
export interface StatusLook {
  /** The badge a gallery tile shows (null: none — nothing to wait for or fix). */
  badge: string | null;
  /** Its colour (CSS). */
  colour: string;
  /** Its code on the VR wall's tiles (the tile shader's frame: 0 none, 1–3 these). */
  tile: 0 | 1 | 2 | 3;
}

const QUEUED: StatusLook = { badge: 'queued', colour: '#f2b33d', tile: 1 };
const NONE: StatusLook = { badge: null, colour: '#a8a8b0', tile: 0 };

const LOOKS: Record<ProcessingStatus | 'idle' | 'requesting', StatusLook> = {
  idle: NONE,
  requesting: QUEUED,
  pending: QUEUED,
  queued: QUEUED,
  processing: { badge: 'processing', colour: '#7ab8ff', tile: 2 },
  failed: { badge: 'failed', colour: '#ff7b7b', tile: 3 },
  completed: { badge: null, colour: '#6fe0c8', tile: 0 },
  cancelled: NONE,
};

export function statusLook(status: ProcessingStatus | 'idle' | 'requesting' | null): StatusLook {
  return LOOKS[status ?? 'idle'];
}

/** The tile frame colours by code (1 queued, 2 processing, 3 failed), for the wall's shader. */
export const TILE_FRAME_COLOURS = [QUEUED, LOOKS.processing, LOOKS.failed].map((l) => l.colour);
