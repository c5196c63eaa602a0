import type { DepthModelStatus } from '@immichvr/shared';
import { useState } from 'react';
import { useDepthModel } from '../api/use-depth-model';

const DISMISSED_KEY = 'immichvr:depth-offer-dismissed';

const megabytes = (bytes: number) => `${Math.round(bytes / 1e6)} MB`;

/** A message as a sentence: capitalised. */
export const sentence = (message: string) => message.charAt(0).toUpperCase() + message.slice(1);

/** "Downloading 42% (41 of 99 MB)", or in bytes alone while the size is unknown. */
export function describeDownload(download: DepthModelStatus['download']): string {
  if (download.total)
    return `Downloading ${Math.floor((100 * download.received) / download.total)}% (${megabytes(download.received)} of ${megabytes(download.total)})`;
  return `Downloading ${megabytes(download.received)}`;
}

/**
 * Above the gallery while depth comes from the built-in estimate: what that means, and one button
 * to get the real model, with its progress, a clear line when it fails (the app keeps working),
 * and the library upgrading itself afterwards.
 */
export function DepthModelBanner() {
  const { status, error, download } = useDepthModel();
  const [dismissed, setDismissed] = useState(() => localStorage.getItem(DISMISSED_KEY) === '1');
  if (!status) return null;
  const { offer, download: d, heuristicMaps } = status;
  if (d.state === 'installed') {
    if (heuristicMaps === 0) return null;
    return (
      <section className="depth-banner" data-testid="depth-banner" data-state="upgrading">
        <p>
          Real depth installed. {heuristicMaps} depth {heuristicMaps === 1 ? 'map' : 'maps'} from
          the built-in estimate {heuristicMaps === 1 ? 'is' : 'are'} being made again in the
          background.
        </p>
      </section>
    );
  }
  if (!offer || (dismissed && d.state !== 'downloading')) return null;
  return (
    <section className="depth-banner" data-testid="depth-banner" data-state={d.state}>
      <div>
        <strong>Depth here is a built-in estimate.</strong>{' '}
        {d.state === 'downloading' ? (
          <>
            <progress
              max={d.total ?? undefined}
              value={d.received}
              aria-label={`Downloading ${offer.name}`}
            />{' '}
            <span data-testid="depth-download-progress">{describeDownload(d)}</span>
          </>
        ) : (
          <span>
            Flat areas and skies can sit at the wrong distance. {offer.name} (
            {offer.bytes ? `${megabytes(offer.bytes)}, ` : ''}
            {offer.license}) makes real depth on this machine, and the library upgrades itself.
          </span>
        )}
        {(d.error || error) && (
          <p className="depth-banner-error" role="alert" data-testid="depth-download-error">
            {sentence(d.error ?? error ?? '')} The app keeps working with the built-in estimate.
          </p>
        )}
      </div>
      {d.state !== 'downloading' && (
        <div className="depth-banner-actions">
          <button type="button" onClick={download} data-testid="get-real-depth">
            {d.state === 'failed'
              ? d.resumable
                ? 'Resume download'
                : 'Retry download'
              : 'Get real depth'}
          </button>
          <button
            type="button"
            onClick={() => {
              localStorage.setItem(DISMISSED_KEY, '1');
              setDismissed(true);
            }}
          >
            Not now
          </button>
        </div>
      )}
    </section>
  );
}
