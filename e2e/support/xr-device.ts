import { expect, type Locator, type Page } from '@playwright/test';

/**
 * Driving the emulated Quest 3 (IWER, installed by the page with `?iwer`): pose the right
 * controller or hand, press its trigger, pinch, push its thumbstick. Targets come from the page's
 * DOM mirror of the VR scene (`xr-tile`, `xr-button` with their room positions).
 */
export type Vec3 = [number, number, number];

/** Where the test holds its right hand: in front of the chest, a little to the right. */
const HAND_AT: Vec3 = [0.15, 1.3, -0.25];

/** The rotation taking −z (where a controller points) onto the direction from `from` to `to`. */
export function aimQuaternion(from: Vec3, to: Vec3): [number, number, number, number] {
  const d = [to[0] - from[0], to[1] - from[1], to[2] - from[2]];
  const length = Math.hypot(d[0] as number, d[1] as number, d[2] as number);
  const [x, y, z] = d.map((v) => v / length) as Vec3;
  // Shortest arc from a = (0, 0, −1) to d: (cross(a, d), 1 + dot(a, d)) = ((y, −x, 0), 1 − z).
  const cross: Vec3 = [y, -x, 0];
  const w = 1 - z;
  const n = Math.hypot(cross[0], cross[1], cross[2], w);
  return [cross[0] / n, cross[1] / n, cross[2] / n, w / n];
}

export async function enterVr(page: Page, mode: 'controller' | 'hand' = 'controller') {
  await page.goto(mode === 'hand' ? '/?iwer=hand' : '/?iwer');
  const enter = page.getByTestId('enter-vr');
  await expect(enter).toBeEnabled({ timeout: 30_000 });
  await enter.click();
  await expect(page.getByTestId('xr-state')).toHaveAttribute('data-presenting', 'true');
}

export function xrState(page: Page): Locator {
  return page.getByTestId('xr-state');
}

export async function positionOf(target: Locator): Promise<Vec3> {
  await expect(target).toHaveCount(1);
  const [x, y, z] = await Promise.all(
    ['data-x', 'data-y', 'data-z'].map(async (a) => Number(await target.getAttribute(a))),
  );
  return [x as number, y as number, z as number];
}

/** Points the right controller (or hand) at a room position, and waits a few frames. */
export async function aimAt(page: Page, target: Vec3, input: 'controller' | 'hand' = 'controller') {
  const quaternion = aimQuaternion(HAND_AT, target);
  await page.evaluate(
    ({ at, q, input }) => {
      // biome-ignore lint/suspicious/noExplicitAny: the emulator's object, from the page
      const device = (window as any).__xrDevice;
      const source = input === 'hand' ? device.hands.right : device.controllers.right;
      source.position.set(at[0], at[1], at[2]);
      source.quaternion.set(q[0], q[1], q[2], q[3]);
    },
    { at: HAND_AT, q: quaternion, input },
  );
  await frames(page, 3);
}

/** Waits for `n` XR frames to be rendered (software rendering makes them slow). */
export async function frames(page: Page, n: number) {
  await page.evaluate(
    (n) =>
      new Promise<void>((resolve) => {
        // biome-ignore lint/suspicious/noExplicitAny: the emulator's session, from the page
        const session = (window as any).__xrDevice?.activeSession as
          | { requestAnimationFrame(callback: () => void): number }
          | undefined;
        if (!session) return resolve();
        let left = n;
        const tick = () => (--left <= 0 ? resolve() : session.requestAnimationFrame(tick));
        session.requestAnimationFrame(tick);
      }),
    n,
  );
}

/** Pulls and releases the right trigger (or pinches with the right hand). */
export async function select(page: Page, input: 'controller' | 'hand' = 'controller') {
  const set = (value: number) =>
    page.evaluate(
      ({ value, input }) => {
        // biome-ignore lint/suspicious/noExplicitAny: the emulator's object, from the page
        const device = (window as any).__xrDevice;
        if (input === 'hand') device.hands.right.updatePinchValue(value);
        else device.controllers.right.updateButtonValue('trigger', value);
      },
      { value, input },
    );
  await set(1);
  await frames(page, 3);
  await set(0);
  await frames(page, 3);
}

export async function pressButton(page: Page, button: 'a-button' | 'b-button') {
  const set = (value: number) =>
    page.evaluate(
      ({ button, value }) =>
        // biome-ignore lint/suspicious/noExplicitAny: the emulator's object, from the page
        (window as any).__xrDevice.controllers.right.updateButtonValue(button, value),
      { button, value },
    );
  await set(1);
  await frames(page, 3);
  await set(0);
  await frames(page, 2);
}

export async function thumbstick(page: Page, x: number, y: number) {
  await page.evaluate(
    ({ x, y }) =>
      // biome-ignore lint/suspicious/noExplicitAny: the emulator's object, from the page
      (window as any).__xrDevice.controllers.right.updateAxes('thumbstick', x, y),
    { x, y },
  );
}

/** Aims at a tile or panel button of the mirror and selects it. */
export async function selectTarget(
  page: Page,
  target: Locator,
  input: 'controller' | 'hand' = 'controller',
) {
  await aimAt(page, await positionOf(target), input);
  await select(page, input);
}
