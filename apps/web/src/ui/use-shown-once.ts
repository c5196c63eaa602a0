import { useEffect, useState } from 'react';

/**
 * Where an element shown once is: 'waiting' until `ready` has held for `delayMs` (a `ready` that
 * turns false starts the wait again), 'showing' for two animation frames (the page is drawn with
 * it at least once), then 'done'.
 */
export type ShownOnce = 'waiting' | 'showing' | 'done';

export function useShownOnce(ready: boolean, delayMs: number): ShownOnce {
  const [state, setState] = useState<ShownOnce>('waiting');
  useEffect(() => {
    if (!ready || state !== 'waiting') return;
    const timer = setTimeout(() => setState('showing'), delayMs);
    return () => clearTimeout(timer);
  }, [ready, state, delayMs]);
  useEffect(() => {
    if (state !== 'showing') return;
    // The first frame's rendering (its commit draws the page); the second begins after it.
    let frame = requestAnimationFrame(() => {
      frame = requestAnimationFrame(() => setState('done'));
    });
    return () => cancelAnimationFrame(frame);
  }, [state]);
  return state;
}
