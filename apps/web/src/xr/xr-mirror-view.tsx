import { useXrMirror } from './xr-mirror';

const round = (n: number) => n.toFixed(4);

/** The VR scene as DOM (see xr-mirror.ts): off screen, readable by assistive tech and tests. */
export function XrMirrorView() {
  const mirror = useXrMirror();
  const dataset = Object.fromEntries(
    Object.entries(mirror.state).map(([key, value]) => [`data-${key}`, value]),
  );
  return (
    <div className="sr-only" data-testid="xr-state" {...dataset}>
      {[...mirror.targets.values()].flat().map((t) => (
        <span
          key={`${t.kind}/${t.panel ?? ''}/${t.id}`}
          data-testid={`xr-${t.kind}`}
          data-id={t.id}
          data-panel={t.panel}
          data-disabled={t.disabled ? 'true' : 'false'}
          data-x={round(t.position[0])}
          data-y={round(t.position[1])}
          data-z={round(t.position[2])}
        >
          {t.label}
        </span>
      ))}
    </div>
  );
}
