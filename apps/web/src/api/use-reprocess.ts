import {
  ACTIVE_PROCESSING_STATUSES,
  type MediaItem,
  type ProcessingStatus,
} from '@immichvr/shared';
import { useCallback, useEffect, useState } from 'react';
import { api } from './client';
import { useMediaEvents } from './use-media-events';

export type ReprocessPhase = ProcessingStatus | 'idle' | 'requesting';

export interface ReprocessState {
  phase: ReprocessPhase;
  /** The job's error (failed) or why a request did not go through. */
  error: string | null;
  attempts: number | null;
  queueId: string | null;
  /** The statuses seen since the user asked, in order: what the panel shows as progress. */
  history: ProcessingStatus[];
}

/** Asking the server, or a job that is not finished (the shared list of unfinished statuses). */
const ACTIVE: ReadonlySet<ReprocessPhase> = new Set(['requesting', ...ACTIVE_PROCESSING_STATUSES]);

export function isActive(phase: ReprocessPhase): boolean {
  return ACTIVE.has(phase);
}

type ItemStatus = Pick<
  MediaItem,
  'id' | 'queueId' | 'processingStatus' | 'lastError' | 'processingAttempts'
>;

function fromItem(item: ItemStatus | null): ReprocessState {
  return {
    phase: item?.processingStatus ?? 'idle',
    error: item?.processingStatus === 'failed' ? item.lastError : null,
    attempts: item?.processingAttempts ?? null,
    queueId: item?.queueId ?? null,
    history: [],
  };
}

/**
 * Reprocessing one item: ask, then follow its job live (queued → processing → completed or
 * failed, with the error), or cancel it. Shared by the desktop and the in-VR panel.
 */
export function useReprocess(item: ItemStatus | null) {
  const [state, setState] = useState<ReprocessState>(() => fromItem(item));
  const id = item?.id ?? null;
  // A different item starts from its own state.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only when the item changes
  useEffect(() => setState(fromItem(item)), [id]);

  const follow = useCallback(
    (
      status: ProcessingStatus,
      queueId: string | null,
      error: string | null,
      attempts: number | null,
    ) => {
      setState((s) => ({
        phase: status,
        // A job retried after an error keeps showing why until it completes.
        error: status === 'completed' || status === 'cancelled' ? null : error,
        attempts,
        queueId: queueId ?? s.queueId,
        history: s.history.at(-1) === status ? s.history : [...s.history, status],
      }));
    },
    [],
  );

  useMediaEvents({
    onStatus: (event) => {
      if (event.mediaId === id && event.status)
        follow(event.status, event.queueId, event.lastError, event.attempts);
    },
  });

  const reprocess = useCallback(async () => {
    if (!id) return;
    setState((s) => ({ ...s, phase: 'requesting', error: null, history: [] }));
    try {
      const job = await api.reprocess(id);
      // Live events for this job may have arrived first (a fast worker): they are newer.
      setState((s) =>
        s.history.length
          ? { ...s, queueId: job.id }
          : {
              phase: job.status,
              error: null,
              attempts: job.attempts,
              queueId: job.id,
              history: [job.status],
            },
      );
    } catch (error) {
      setState((s) => ({
        ...s,
        phase: 'idle',
        error: `Could not queue: ${(error as Error).message}`,
      }));
    }
  }, [id]);

  const cancel = useCallback(async () => {
    if (!state.queueId) return;
    try {
      const job = await api.cancel(state.queueId);
      follow(job.status, job.id, job.lastError, job.attempts);
    } catch (error) {
      setState((s) => ({ ...s, error: `Could not cancel: ${(error as Error).message}` }));
    }
  }, [state.queueId, follow]);

  return { state, reprocess, cancel };
}

/** What the panels say about a reprocess state. */
export function describeReprocess(state: ReprocessState): string {
  switch (state.phase) {
    case 'idle':
      return state.error ?? '';
    case 'requesting':
      return 'Asking…';
    case 'pending':
    case 'queued':
      return state.error ? `Queued again after an error: ${state.error}` : 'Queued for depth…';
    case 'processing':
      return state.error ? `Trying again after: ${state.error}` : 'Making a new depth map…';
    case 'completed':
      return state.history.length ? 'Done: new depth map shown' : 'Depth map up to date';
    case 'failed':
      return `Failed${state.attempts ? ` (attempt ${state.attempts})` : ''}: ${state.error ?? 'unknown error'}`;
    case 'cancelled':
      return 'Cancelled';
  }
}
