/** Where things stand in the room (metres; the floor's origin, looking down −z). */
export const VR_LAYOUT = {
  gallery: {
    columns: 6,
    tile: 0.24,
    pitch: 0.27,
    header: 0.14,
    /** The wall's visible height and its centre, ~2 m away at eye height. */
    viewHeight: 1.15,
    center: [0, 1.38, -2] as [number, number, number],
    /** Thumbstick at full tilt scrolls this many metres per second. */
    scrollSpeed: 1.6,
  },
  toolbar: { position: [0, 0.66, -1.25] as [number, number, number], tilt: -0.55, width: 0.82 },
  /** The month list beside the wall (a scrubber): this many months around the one in view. */
  scrubber: {
    position: [1.2, 1.38, -1.75] as [number, number, number],
    yaw: -0.55,
    width: 0.34,
    months: 13,
  },
  sidePanel: { position: [-1.05, 1.3, -1.35] as [number, number, number], yaw: 0.65, width: 0.56 },
  photoPanel: { offset: [0, -0.5, -0.82] as [number, number, number], tilt: -0.5, width: 0.56 },
  /** Eye height used until the headset reports one. */
  eyeHeight: 1.55,
} as const;
