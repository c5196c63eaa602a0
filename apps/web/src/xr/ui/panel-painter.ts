import { actionKey, type VrAction } from '../../lib/vr-actions';

/** A pressable area of a panel, in canvas pixels. */
export interface PanelHit {
  action: VrAction;
  /** The action's key (`actionKey`). */
  id: string;
  label: string;
  x: number;
  y: number;
  w: number;
  h: number;
  disabled?: boolean;
  /** A slider: the press's action for where along its width (0…1) it was pressed. */
  slider?: (fraction: number) => VrAction;
}

export const PANEL_COLORS = {
  background: 'rgba(18, 18, 22, 0.92)',
  text: '#f2f2f2',
  muted: '#a8a8b0',
  button: '#2d2f38',
  buttonHover: '#434656',
  active: '#2f6f8f',
  disabled: '#24252b',
  accent: '#6fe0c8',
  failed: '#ff6b6b',
  /** A stand-in worth replacing (depth from the built-in estimate). */
  warning: '#e8c77a',
} as const;

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

/**
 * Draws a panel on a 2D canvas (text, buttons, sliders) and remembers where its buttons are, so
 * a ray's hit point on the panel can be turned back into a button press. Canvas text works
 * offline, in any font the headset has, at any size: at 1024 px for 0.5 m a 28 px line is
 * ~1.6 cm tall — readable at arm's length.
 */
export class PanelPainter {
  readonly hits: PanelHit[] = [];

  constructor(
    readonly ctx: CanvasRenderingContext2D,
    readonly width: number,
    readonly height: number,
    private readonly hovered: string | null,
  ) {
    ctx.clearRect(0, 0, width, height);
    ctx.fillStyle = PANEL_COLORS.background;
    roundRect(ctx, 0, 0, width, height, 28);
    ctx.fill();
    ctx.textBaseline = 'middle';
  }

  text(
    text: string,
    x: number,
    y: number,
    options: {
      size?: number;
      color?: string;
      bold?: boolean;
      maxWidth?: number;
      align?: CanvasTextAlign;
    } = {},
  ): void {
    const { ctx } = this;
    ctx.font = `${options.bold ? '600 ' : ''}${options.size ?? 30}px ${FONT}`;
    ctx.fillStyle = options.color ?? PANEL_COLORS.text;
    ctx.textAlign = options.align ?? 'left';
    ctx.fillText(ellipsize(ctx, text, options.maxWidth ?? this.width - x - 24), x, y);
  }

  /** Wrapped text; returns the y after the last line. */
  paragraph(
    text: string,
    x: number,
    y: number,
    maxWidth: number,
    options: { size?: number; color?: string; maxLines?: number } = {},
  ): number {
    const { ctx } = this;
    const size = options.size ?? 28;
    ctx.font = `${size}px ${FONT}`;
    ctx.fillStyle = options.color ?? PANEL_COLORS.text;
    ctx.textAlign = 'left';
    const lines = wrap(ctx, text, maxWidth).slice(0, options.maxLines ?? 4);
    for (const [i, line] of lines.entries()) ctx.fillText(line, x, y + i * size * 1.3);
    return y + lines.length * size * 1.3;
  }

  button(
    action: VrAction,
    label: string,
    x: number,
    y: number,
    w: number,
    h: number,
    options: { active?: boolean; disabled?: boolean; size?: number } = {},
  ): void {
    const { ctx } = this;
    const id = actionKey(action);
    ctx.fillStyle = options.disabled
      ? PANEL_COLORS.disabled
      : options.active
        ? PANEL_COLORS.active
        : this.hovered === id
          ? PANEL_COLORS.buttonHover
          : PANEL_COLORS.button;
    roundRect(ctx, x, y, w, h, 14);
    ctx.fill();
    if (this.hovered === id && !options.disabled) {
      ctx.strokeStyle = PANEL_COLORS.accent;
      ctx.lineWidth = 3;
      ctx.stroke();
    }
    ctx.font = `600 ${options.size ?? 28}px ${FONT}`;
    ctx.fillStyle = options.disabled ? PANEL_COLORS.muted : PANEL_COLORS.text;
    ctx.textAlign = 'center';
    ctx.fillText(ellipsize(ctx, label, w - 16), x + w / 2, y + h / 2);
    this.hits.push({
      action,
      id,
      label,
      x,
      y,
      w,
      h,
      ...(options.disabled ? { disabled: true } : {}),
    });
  }

  /**
   * A horizontal slider showing `fraction`; pressing it sets the value where it was pressed
   * (`toAction` of the fraction).
   */
  slider(
    toAction: (fraction: number) => VrAction,
    label: string,
    x: number,
    y: number,
    w: number,
    h: number,
    fraction: number,
  ): void {
    const { ctx } = this;
    const action = toAction(fraction);
    const id = actionKey(action);
    ctx.fillStyle = this.hovered === id ? PANEL_COLORS.buttonHover : PANEL_COLORS.button;
    roundRect(ctx, x, y, w, h, h / 2);
    ctx.fill();
    ctx.fillStyle = PANEL_COLORS.active;
    roundRect(ctx, x, y, Math.max(h, w * Math.min(1, Math.max(0, fraction))), h, h / 2);
    ctx.fill();
    this.hits.push({ action, id, label, x, y, w, h, slider: toAction });
  }
}

/** The button under a point of the panel (canvas pixels). */
export function hitAt(hits: PanelHit[], x: number, y: number): PanelHit | undefined {
  return hits.find((b) => x >= b.x && x <= b.x + b.w && y >= b.y && y <= b.y + b.h);
}

function roundRect(
  ctx: CanvasRenderingContext2D,
  x: number,
  y: number,
  w: number,
  h: number,
  r: number,
): void {
  ctx.beginPath();
  ctx.roundRect(x, y, w, h, r);
}

function ellipsize(ctx: CanvasRenderingContext2D, text: string, maxWidth: number): string {
  if (ctx.measureText(text).width <= maxWidth) return text;
  let end = text.length;
  while (end > 1 && ctx.measureText(`${text.slice(0, end)}…`).width > maxWidth) end--;
  return `${text.slice(0, end)}…`;
}

function wrap(ctx: CanvasRenderingContext2D, text: string, maxWidth: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const next = line ? `${line} ${word}` : word;
    if (ctx.measureText(next).width > maxWidth && line) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines.map((l) => ellipsize(ctx, l, maxWidth));
}
