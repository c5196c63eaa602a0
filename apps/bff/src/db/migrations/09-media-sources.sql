-- 09-media-sources: where each item comes from, by id instead of by path prefix. A source is a
-- folder imported in place, the app's own uploads, or an Immich server; media_roots (migration
-- 02) is folded in as the folder sources. An item's external_id names it within its source (a
-- folder: its path relative to the folder; Immich: the asset id), so a sync or a re-import finds
-- it again whatever its path. Albums and people (Immich's, for now) are collections; favourites
-- a flag on the item.
CREATE TYPE media_source_kind AS ENUM ('folder', 'upload', 'immich');

CREATE TABLE media_sources (
  id          UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  kind        media_source_kind NOT NULL,
  -- folder: its absolute path; upload: 'uploads'; immich: the server's API URL
  location    TEXT NOT NULL,
  -- immich: the local folder its files are served from in place (IMMICH_MEDIA_PATH), or NULL
  media_path  TEXT,
  -- what the last sync left (cursor, counts, last error); written only by the source's sync
  sync_state  JSONB NOT NULL DEFAULT '{}'::jsonb,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT media_sources_kind_location_key UNIQUE (kind, location),
  CONSTRAINT media_sources_folder_absolute_check CHECK (kind <> 'folder' OR location LIKE '/%'),
  CONSTRAINT media_sources_media_path_absolute_check CHECK (media_path IS NULL OR media_path LIKE '/%')
);

CREATE TRIGGER update_media_sources_updated_at
  BEFORE UPDATE ON media_sources
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

INSERT INTO media_sources (kind, location, created_at)
  SELECT 'folder', path, created_at FROM media_roots;
INSERT INTO media_sources (kind, location) VALUES ('upload', 'uploads');

-- NULL source: a row written by other means (the schema's own examples); no sync touches it.
ALTER TABLE media_items
  ADD COLUMN source_id   UUID REFERENCES media_sources(id) ON DELETE RESTRICT,
  ADD COLUMN external_id TEXT,
  ADD COLUMN is_favorite BOOLEAN NOT NULL DEFAULT false;

-- Each imported file belongs to the deepest folder holding it; the rest were uploads.
UPDATE media_items m
   SET source_id = f.source_id, external_id = substr(m.file_path, length(f.location) + 2)
  FROM (
    SELECT DISTINCT ON (i.id) i.id AS item_id, s.id AS source_id, s.location
      FROM media_items i
      JOIN media_sources s ON s.kind = 'folder' AND starts_with(i.file_path, s.location || '/')
     ORDER BY i.id, length(s.location) DESC
  ) f
 WHERE m.id = f.item_id;
UPDATE media_items
   SET source_id = (SELECT id FROM media_sources WHERE kind = 'upload')
 WHERE source_id IS NULL AND file_path ~ '/uploads/[0-9]{4}/[0-9]{2}/[^/]+$';

-- One row per thing in a source (NULLs, as for uploads, never collide).
CREATE UNIQUE INDEX media_items_source_external_key ON media_items (source_id, external_id);
CREATE INDEX idx_media_items_favorite ON media_items (captured_at DESC) WHERE is_favorite;

DROP TABLE media_roots;

CREATE TYPE media_collection_kind AS ENUM ('album', 'person');

CREATE TABLE media_collections (
  id           UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  source_id    UUID NOT NULL REFERENCES media_sources(id) ON DELETE CASCADE,
  kind         media_collection_kind NOT NULL,
  external_id  TEXT NOT NULL,
  name         TEXT NOT NULL,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT media_collections_source_external_key UNIQUE (source_id, kind, external_id)
);

CREATE TRIGGER update_media_collections_updated_at
  BEFORE UPDATE ON media_collections
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

CREATE TABLE media_collection_items (
  collection_id UUID NOT NULL REFERENCES media_collections(id) ON DELETE CASCADE,
  media_item_id UUID NOT NULL REFERENCES media_items(id) ON DELETE CASCADE,
  PRIMARY KEY (collection_id, media_item_id)
);
CREATE INDEX idx_media_collection_items_media ON media_collection_items (media_item_id);
