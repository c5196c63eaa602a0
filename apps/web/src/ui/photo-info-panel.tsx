import type { MediaDetail } from '@immichvr/shared';
import { describeReprocess, isActive, useReprocess } from '../api/use-reprocess';
import { formatBytes, formatDateTime } from '../lib/gallery/format';
import { statusLook } from '../lib/status-look';

/** The photo's facts and its depth map, with Reprocess depth and its live progress. */
export function PhotoInfoPanel({ item }: { item: MediaDetail }) {
  const { state, reprocess, cancel } = useReprocess(item);
  const active = isActive(state.phase);
  return (
    <aside className="info-panel" data-testid="info-panel" aria-label="Photo info">
      <h2>{item.originalFilename}</h2>
      <dl>
        <dt>Taken</dt>
        <dd>{item.capturedAt ? formatDateTime(item.capturedAt) : 'unknown'}</dd>
        <dt>Size</dt>
        <dd>
          {item.width && item.height ? `${item.width} × ${item.height} · ` : ''}
          {formatBytes(item.fileSizeBytes)}
        </dd>
        <dt>Depth</dt>
        <dd data-testid="info-depth">
          {item.depthMap
            ? `${item.depthMap.modelName ?? 'unknown model'}, ${formatDateTime(item.depthMap.generatedAt)}`
            : 'none yet'}
        </dd>
      </dl>
      <div className="reprocess">
        <button
          type="button"
          onClick={() => void reprocess()}
          disabled={active}
          data-testid="reprocess-depth"
        >
          Reprocess depth
        </button>
        {active && state.phase !== 'requesting' && (
          <button type="button" onClick={() => void cancel()} data-testid="cancel-reprocess">
            Cancel
          </button>
        )}
      </div>
      <p
        className="reprocess-status"
        style={{ color: statusLook(state.phase).colour }}
        data-testid="reprocess-status"
        data-phase={state.phase}
        data-history={state.history.join(' ')}
        role={state.phase === 'failed' ? 'alert' : 'status'}
      >
        {describeReprocess(state)}
      </p>
    </aside>
  );
}
