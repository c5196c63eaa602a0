-- Rollback of 09-media-sources: folder sources become media_roots again; Immich items, their
-- albums and people go (they cannot be told from other items without their source).
DROP TABLE IF EXISTS media_collection_items;
DROP TABLE IF EXISTS media_collections;
DROP TYPE IF EXISTS media_collection_kind;

CREATE TABLE media_roots (
  id         UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  path       TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT media_roots_path_key UNIQUE (path),
  CONSTRAINT media_roots_path_absolute_check CHECK (path LIKE '/%')
);
INSERT INTO media_roots (path, created_at)
  SELECT location, created_at FROM media_sources WHERE kind = 'folder';

DELETE FROM media_items
 WHERE source_id IN (SELECT id FROM media_sources WHERE kind = 'immich');

DROP INDEX IF EXISTS idx_media_items_favorite;
DROP INDEX IF EXISTS media_items_source_external_key;
ALTER TABLE media_items
  DROP COLUMN IF EXISTS is_favorite,
  DROP COLUMN IF EXISTS external_id,
  DROP COLUMN IF EXISTS source_id;
DROP TABLE IF EXISTS media_sources;
DROP TYPE IF EXISTS media_source_kind;
