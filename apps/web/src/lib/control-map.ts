/**
 * The one control map: what each input does, in VR (controllers and hands) and on a desktop.
 * The in-VR help panel, the page's help and the README show this list.
 */
export const CONTROL_MAP = [
  {
    action: 'Select (open a photo, press a button)',
    controller: 'Trigger',
    hand: 'Pinch',
    desktop: 'Click / tap',
  },
  {
    action: 'Scroll the gallery',
    controller: 'Thumbstick up/down',
    hand: '▲ ▼ on the panel',
    desktop: 'Wheel / swipe',
  },
  {
    action: 'Jump by month',
    controller: '◀ ▶ month on the panel',
    hand: '◀ ▶ month on the panel',
    desktop: 'Month list on the right',
  },
  {
    action: 'Next / previous photo',
    controller: 'Thumbstick right/left',
    hand: 'Next ▶ / ◀ Prev on the panel',
    desktop: '→ / ← keys',
  },
  {
    action: 'Play / pause a video',
    controller: 'Trigger on the video',
    hand: '▶ Play / ❚❚ Pause on the panel',
    desktop: 'Space / click the video',
  },
  {
    action: 'Seek in a video (5 s)',
    controller: 'Thumbstick right/left',
    hand: '−5 s / +5 s, seek bar on the panel',
    desktop: '→ / ← keys, seek bar',
  },
  {
    action: 'Next / previous item in a video',
    controller: 'Next ▶ / ◀ Prev on the panel',
    hand: 'Next ▶ / ◀ Prev on the panel',
    desktop: 'Shift + → / ←',
  },
  {
    action: 'Loop a video',
    controller: 'Loop on the panel',
    hand: 'Loop on the panel',
    desktop: 'Loop box',
  },
  {
    action: 'Back to the gallery',
    controller: 'B or Y button',
    hand: 'Back on the panel',
    desktop: 'Esc',
  },
  {
    action: 'Show or hide help',
    controller: 'A or X button',
    hand: 'Help on the panel',
    desktop: '? key',
  },
] as const;
