import type { Collection } from '@immichvr/shared';
import {
  collectionFilter,
  FILTER_LABELS,
  filterCollectionId,
  type GalleryFilter,
} from '../lib/gallery/gallery-filter';

/** Immich's favourites, albums and people as filters beside the built-in ones. */
export function LibraryFilters(props: {
  filter: GalleryFilter;
  collections: readonly Collection[];
  onFilter: (filter: GalleryFilter) => void;
}) {
  const { filter, collections, onFilter } = props;
  const selected = filterCollectionId(filter) ?? '';
  const albums = collections.filter((c) => c.kind === 'album');
  const people = collections.filter((c) => c.kind === 'person');
  const option = (c: Collection) => (
    <option key={c.id} value={c.id}>
      {c.name} ({c.itemCount})
    </option>
  );
  return (
    <>
      <button
        type="button"
        aria-pressed={filter === 'favorites'}
        onClick={() => onFilter('favorites')}
        data-testid="filter-favorites"
      >
        {FILTER_LABELS.favorites}
      </button>
      {collections.length > 0 && (
        <select
          aria-label="Album or person"
          className={selected ? 'selected' : undefined}
          value={selected}
          onChange={(e) => onFilter(e.target.value ? collectionFilter(e.target.value) : 'all')}
          data-testid="filter-collection"
        >
          <option value="">Album or person…</option>
          {albums.length > 0 && <optgroup label="Albums">{albums.map(option)}</optgroup>}
          {people.length > 0 && <optgroup label="People">{people.map(option)}</optgroup>}
        </select>
      )}
    </>
  );
}
