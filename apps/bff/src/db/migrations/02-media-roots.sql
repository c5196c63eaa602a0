-- 02-media-roots: folders imported in place. Media under a root is read, never written:
-- the BFF serves a media file only when its path lies inside DATA_DIR or one of these roots.
CREATE TABLE media_roots (
  id         UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  path       TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT media_roots_path_key UNIQUE (path),
  CONSTRAINT media_roots_path_absolute_check CHECK (path LIKE '/%')
);
