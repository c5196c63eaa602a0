import { describeDepthModel, HEURISTIC_DEPTH_HINT, type MediaDetail } from '@immichvr/shared';
import { useDepthModel } from '../api/use-depth-model';
import { describeReprocess, isActive, useReprocess } from '../api/use-reprocess';
import { formatBytes, formatDateTime } from '../lib/gallery/format';
import { statusLook } from '../lib/status-look';
import { describeDownload, sentence } from './depth-model-banner';

/** The photo's facts and its depth map, with Reprocess depth and its live progress. */
export function PhotoInfoPanel({ item }: { item: MediaDetail }) {
  const { state, reprocess, cancel } = useReprocess(item);
  const active = isActive(state.phase);
  const made = item.depthMap ? describeDepthModel(item.depthMap.modelName) : null;
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
        <dd data-testid="info-depth" data-estimator={made?.kind}>
          {item.depthMap && made
            ? `${made.label}, ${formatDateTime(item.depthMap.generatedAt)}`
            : 'none yet'}
        </dd>
      </dl>
      {made?.kind === 'heuristic' && <DepthModelHint />}
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

/** Under a map from the built-in estimate: what it is, and getting the model from right here. */
function DepthModelHint() {
  const { status, error, download } = useDepthModel();
  const d = status?.download;
  const failure = d?.error ?? error;
  return (
    <div className="depth-hint" data-testid="depth-hint">
      <p>{HEURISTIC_DEPTH_HINT}</p>
      {d?.state === 'downloading' && (
        <p data-testid="info-download-progress">{describeDownload(d)}</p>
      )}
      {status?.offer && d?.state !== 'downloading' && (
        <button type="button" onClick={download} data-testid="info-get-real-depth">
          {d?.state === 'failed'
            ? d.resumable
              ? 'Resume download'
              : 'Retry download'
            : 'Get real depth'}
        </button>
      )}
      {failure && d?.state !== 'downloading' && (
        <p className="depth-banner-error" role="alert" data-testid="info-download-error">
          {sentence(failure)}
        </p>
      )}
      {status && !status.offer && status.estimator.kind === 'model' && (
        <p>The model is installed: Reprocess depth makes this map with it now.</p>
      )}
    </div>
  );
}
