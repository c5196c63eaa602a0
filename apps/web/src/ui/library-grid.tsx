import type { MediaItem } from '@immichvr/shared';
import { groupByMonth } from '../lib/group-by-month';

export function LibraryGrid({
  items,
  onOpen,
}: {
  items: MediaItem[];
  onOpen: (id: string) => void;
}) {
  if (items.length === 0) {
    return (
      <p data-testid="library-empty">
        The library is empty. Add a folder with `pnpm import &lt;folder&gt;`.
      </p>
    );
  }
  return (
    <div data-testid="library">
      {groupByMonth(items).map((group) => (
        <section key={group.month} data-testid="month">
          <h2>{group.month}</h2>
          <ul className="grid">
            {group.items.map((item) => (
              <MediaCard key={item.id} item={item} onOpen={onOpen} />
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

function MediaCard({ item, onOpen }: { item: MediaItem; onOpen: (id: string) => void }) {
  return (
    <li className="card" data-testid="media-card" data-media-type={item.mediaType}>
      <div className="pair">
        {item.mediaType === 'video' ? (
          <video
            src={item.urls.original}
            poster={item.urls.preview}
            muted
            loop
            playsInline
            preload="metadata"
            aria-label={item.originalFilename}
          />
        ) : (
          <button type="button" className="thumb" onClick={() => onOpen(item.id)}>
            <img src={item.urls.preview} alt={item.originalFilename} loading="lazy" />
          </button>
        )}
        {item.urls.depth ? (
          <img
            src={item.urls.depth}
            alt={`Depth map of ${item.originalFilename}`}
            loading="lazy"
            data-testid="depth-map"
          />
        ) : (
          <div className="no-depth">no depth map yet</div>
        )}
      </div>
      <p className="caption">
        <button
          type="button"
          className="open"
          onClick={() => onOpen(item.id)}
          data-testid="open-in-3d"
        >
          {item.originalFilename}
        </button>
        {item.depthMap && <span className="badge">{item.depthMap.modelName}</span>}
      </p>
    </li>
  );
}
