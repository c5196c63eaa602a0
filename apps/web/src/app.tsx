import { useLibrary } from './api/use-library';
import { LibraryGrid } from './ui/library-grid';

export function App() {
  const library = useLibrary();
  return (
    <main>
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
      {library.status === 'ready' && <LibraryGrid items={library.items} />}
    </main>
  );
}
