import type { ImmichSyncStatus } from '@immichvr/shared';
import { librarySources } from '../api/use-library-sources';

/** "3 min ago", "just now", "2 h ago". */
function ago(iso: string, now = Date.now()): string {
  const seconds = Math.max(0, (now - Date.parse(iso)) / 1000);
  if (seconds < 45) return 'just now';
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86_400)} d ago`;
}

/** One line under the header: where the Immich sync stands, its last error, and Sync now. */
export function ImmichStatus({ immich }: { immich: ImmichSyncStatus }) {
  const { progress, lastRun, lastError, running } = immich;
  const host = immich.url.replace(/^https?:\/\//, '').replace(/\/api$/, '');
  let text: string;
  if (running)
    text = progress
      ? `Syncing with Immich at ${host}: ${progress.assets}${progress.total ? ` of ${progress.total}` : ''} assets read, ${progress.added} added`
      : `Syncing with Immich at ${host}…`;
  else if (lastRun)
    text = `Immich at ${host}: synced ${ago(immich.lastSuccessAt ?? lastRun.at)} (${lastRun.added} added, ${lastRun.updated} updated, ${lastRun.removed} removed)`;
  else text = `Immich at ${host}: not synced yet`;
  return (
    <div className="immich-status" data-testid="immich-status" aria-live="polite">
      <span>{text}</span>
      {lastError && !running && (
        <span className="immich-error" data-testid="immich-error">
          {' '}
          Last sync failed: {lastError.message}
        </span>
      )}
      <button
        type="button"
        disabled={running}
        onClick={() => void librarySources.syncNow()}
        data-testid="immich-sync-now"
      >
        {running ? 'Syncing…' : 'Sync now'}
      </button>
    </div>
  );
}
