-- 01-schema: the tables, enums, indexes, trigger and views of docs' database-schema.md.
-- Choices where the spec is silent are recorded in docs/architecture.md ("Schema decisions").

CREATE TYPE media_type AS ENUM ('photo', 'video');

CREATE TYPE processing_status AS ENUM (
  'pending',    -- waiting to be queued
  'queued',     -- in the processing queue
  'processing', -- being processed by a worker
  'completed',
  'failed',
  'cancelled'
);

CREATE TYPE depth_map_format AS ENUM ('png', 'exr', 'npy', 'raw');

CREATE TABLE media_items (
  id                UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  original_filename VARCHAR(255) NOT NULL,
  media_type        media_type NOT NULL,
  file_path         TEXT NOT NULL,
  file_size         BIGINT NOT NULL CHECK (file_size >= 0),
  mime_type         VARCHAR(255) NOT NULL,
  width             INTEGER CHECK (width > 0),
  height            INTEGER CHECK (height > 0),
  duration_seconds  NUMERIC(12, 3) CHECK (duration_seconds >= 0),
  frame_rate        NUMERIC(9, 4) CHECK (frame_rate > 0),
  checksum          VARCHAR(64),
  captured_at       TIMESTAMPTZ,
  uploaded_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  user_id           UUID,
  created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
  -- Only videos have a duration or a frame rate.
  CONSTRAINT media_items_video_fields_check
    CHECK (media_type = 'video' OR (duration_seconds IS NULL AND frame_rate IS NULL))
);

CREATE INDEX idx_media_items_media_type  ON media_items (media_type);
CREATE INDEX idx_media_items_user_id     ON media_items (user_id);
CREATE INDEX idx_media_items_uploaded_at ON media_items (uploaded_at);
CREATE INDEX idx_media_items_checksum    ON media_items (checksum);

CREATE TABLE processing_queue (
  id                          UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  media_item_id               UUID NOT NULL REFERENCES media_items (id) ON DELETE CASCADE,
  status                      processing_status NOT NULL DEFAULT 'queued',
  priority                    INTEGER NOT NULL DEFAULT 5 CHECK (priority BETWEEN 1 AND 10),
  attempts                    INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  max_attempts                INTEGER NOT NULL DEFAULT 3 CHECK (max_attempts >= 1),
  last_error                  TEXT,
  error_count                 INTEGER NOT NULL DEFAULT 0 CHECK (error_count >= 0),
  queued_at                   TIMESTAMPTZ NOT NULL DEFAULT now(),
  started_at                  TIMESTAMPTZ,
  completed_at                TIMESTAMPTZ,
  processing_duration_seconds NUMERIC(12, 3) CHECK (processing_duration_seconds >= 0),
  created_at                  TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at                  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX idx_processing_queue_status          ON processing_queue (status);
CREATE INDEX idx_processing_queue_media_item_id   ON processing_queue (media_item_id);
CREATE INDEX idx_processing_queue_priority        ON processing_queue (priority, queued_at);
-- Serves the claim: WHERE status = 'queued' ORDER BY priority, queued_at.
CREATE INDEX idx_processing_queue_status_priority ON processing_queue (status, priority, queued_at);

CREATE TABLE depth_map_cache (
  id                UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  media_item_id     UUID NOT NULL REFERENCES media_items (id) ON DELETE CASCADE,
  file_path         TEXT NOT NULL,
  file_size         BIGINT NOT NULL CHECK (file_size >= 0),
  format            depth_map_format NOT NULL DEFAULT 'png',
  width             INTEGER NOT NULL CHECK (width > 0),
  height            INTEGER NOT NULL CHECK (height > 0),
  model_name        VARCHAR(255),
  model_version     VARCHAR(255),
  processing_params JSONB NOT NULL DEFAULT '{}'::jsonb,
  checksum          VARCHAR(64),
  generated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  accessed_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  access_count      INTEGER NOT NULL DEFAULT 0 CHECK (access_count >= 0),
  created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT depth_map_cache_media_item_id_key UNIQUE (media_item_id),
  CONSTRAINT depth_map_cache_file_path_key UNIQUE (file_path)
);

-- Redundant with the UNIQUE constraint's index today; kept because the spec names it and it
-- stays useful once UNIQUE(media_item_id) is relaxed for several depth map versions.
CREATE INDEX idx_depth_map_cache_media_item_id ON depth_map_cache (media_item_id);
CREATE INDEX idx_depth_map_cache_accessed_at   ON depth_map_cache (accessed_at);
CREATE INDEX idx_depth_map_cache_generated_at  ON depth_map_cache (generated_at);
CREATE INDEX idx_depth_map_cache_checksum      ON depth_map_cache (checksum);

CREATE FUNCTION update_updated_at_column() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at = now();
  RETURN NEW;
END;
$$;

CREATE TRIGGER update_media_items_updated_at
  BEFORE UPDATE ON media_items
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
CREATE TRIGGER update_processing_queue_updated_at
  BEFORE UPDATE ON processing_queue
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
CREATE TRIGGER update_depth_map_cache_updated_at
  BEFORE UPDATE ON depth_map_cache
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

CREATE VIEW processing_queue_summary AS
SELECT
  status,
  count(*) AS count,
  avg(attempts) AS avg_attempts,
  avg(processing_duration_seconds) AS avg_processing_time_seconds
FROM processing_queue
GROUP BY status;

-- One row per media item: its newest queue entry (a retried or re-queued item keeps older rows).
CREATE VIEW media_processing_status AS
SELECT
  m.id AS media_id,
  m.original_filename,
  m.media_type,
  m.uploaded_at,
  pq.status AS processing_status,
  pq.attempts AS processing_attempts,
  pq.last_error,
  dc.id AS depth_map_id,
  dc.file_path AS depth_map_path,
  dc.generated_at AS depth_map_generated_at
FROM media_items m
LEFT JOIN LATERAL (
  SELECT q.status, q.attempts, q.last_error
  FROM processing_queue q
  WHERE q.media_item_id = m.id
  ORDER BY q.created_at DESC, q.id DESC
  LIMIT 1
) pq ON true
LEFT JOIN depth_map_cache dc ON dc.media_item_id = m.id;
