import { useFrame } from '@react-three/fiber';
import { useXR } from '@react-three/xr';
import { useRef } from 'react';

export interface VrActions {
  /** Thumbstick forward (+) / back (−), −1…1, every frame it is tilted. */
  scroll: (amount: number, deltaSeconds: number) => void;
  /** Thumbstick flicked right (+1) or left (−1). */
  step: (direction: -1 | 1) => void;
  /** B or Y. */
  back: () => void;
  /** A or X. */
  help: () => void;
}

/** xr-standard gamepad mapping: thumbstick axes 2/3, A/X button 4, B/Y button 5. */
const AXIS_X = 2;
const AXIS_Y = 3;
const BUTTON_PRIMARY = 4;
const BUTTON_SECONDARY = 5;
const DEAD_ZONE = 0.2;
const FLICK = 0.7;

/**
 * Polls the controllers' thumbsticks and face buttons each XR frame and turns them into the
 * control map's actions (trigger and pinch selection go through pointer events instead).
 */
export function useVrControls(actions: React.RefObject<VrActions>): void {
  const session = useXR((s) => s.session);
  const previous = useRef(
    new Map<string, { flick: number; primary: boolean; secondary: boolean }>(),
  );
  useFrame((_, delta) => {
    if (!session) return;
    for (const source of session.inputSources) {
      const pad = source.gamepad;
      if (!pad || source.hand) continue;
      const key = source.handedness;
      const last = previous.current.get(key) ?? { flick: 0, primary: false, secondary: false };
      const x = pad.axes[AXIS_X] ?? 0;
      const y = pad.axes[AXIS_Y] ?? 0;
      if (Math.abs(y) > DEAD_ZONE && Math.abs(y) > Math.abs(x)) actions.current.scroll(-y, delta);
      const flick = x > FLICK ? 1 : x < -FLICK ? -1 : 0;
      if (flick !== 0 && last.flick === 0) actions.current.step(flick);
      const primary = pad.buttons[BUTTON_PRIMARY]?.pressed ?? false;
      const secondary = pad.buttons[BUTTON_SECONDARY]?.pressed ?? false;
      if (primary && !last.primary) actions.current.help();
      if (secondary && !last.secondary) actions.current.back();
      previous.current.set(key, { flick, primary, secondary });
    }
  });
}
