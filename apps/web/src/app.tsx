import { lazy, Suspense, useCallback, useState } from 'react';
import { useLibrary } from './api/use-library';
import { LibraryGrid } from './ui/library-grid';

// three.js and the 3D view load only when a photo is opened.
const PhotoViewer = lazy(() =>
  import('./ui/photo-viewer').then((m) => ({ default: m.PhotoViewer })),
);

export function App() {
  const library = useLibrary();
  const [openId, setOpenId] = useState<string | null>(null);
  const items = library.status === 'ready' ? library.items : [];
  const step = useCallback(
    (direction: -1 | 1) => {
      const at = items.findIndex((i) => i.id === openId);
      const next = items[at + direction];
      if (next) setOpenId(next.id);
    },
    [items, openId],
  );
  return (
    <main>
      {openId && (
        <Suspense fallback={<p data-testid="viewer-loading">Opening…</p>}>
          <PhotoViewer id={openId} onClose={() => setOpenId(null)} onStep={step} />
        </Suspense>
      )}
      <header>
        <h1>ImmichVR</h1>
        <p>Your photo library in depth.</p>
      </header>
      {library.status === 'loading' && <p data-testid="library-loading">Loading the library…</p>}
      {library.status === 'error' && (
        <p role="alert" data-testid="library-error">
          The library could not be loaded: {library.message}
        </p>
      )}
      {library.status === 'ready' && <LibraryGrid items={library.items} onOpen={setOpenId} />}
    </main>
  );
}
