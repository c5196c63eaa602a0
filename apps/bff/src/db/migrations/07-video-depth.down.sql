-- Rollback of 07-video-depth. Depth videos are dropped from the cache (their files are left for
-- `pnpm cache:verify --fix`, which removes files no row points to).
DROP VIEW media_processing_status;

DROP TRIGGER processing_queue_notify_update ON processing_queue;
CREATE OR REPLACE FUNCTION notify_queue_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('media_events', json_build_object(
    'kind', 'queue',
    'mediaId', NEW.media_item_id,
    'queueId', NEW.id,
    'status', NEW.status,
    'attempts', NEW.attempts,
    'lastError', left(NEW.last_error, 2000)
  )::text);
  RETURN NULL;
END;
$$;
CREATE TRIGGER processing_queue_notify_update
  AFTER UPDATE ON processing_queue
  FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status
     OR OLD.attempts IS DISTINCT FROM NEW.attempts
     OR OLD.last_error IS DISTINCT FROM NEW.last_error)
  EXECUTE FUNCTION notify_queue_change();

ALTER TABLE processing_queue DROP COLUMN progress;

-- An enum value cannot be dropped: the type is made again without it.
DELETE FROM depth_map_cache WHERE format = 'mp4';
ALTER TYPE depth_map_format RENAME TO depth_map_format_07;
CREATE TYPE depth_map_format AS ENUM ('png', 'exr', 'npy', 'raw');
ALTER TABLE depth_map_cache ALTER COLUMN format DROP DEFAULT;
ALTER TABLE depth_map_cache
  ALTER COLUMN format TYPE depth_map_format USING format::text::depth_map_format;
ALTER TABLE depth_map_cache ALTER COLUMN format SET DEFAULT 'png';
DROP TYPE depth_map_format_07;

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
  dc.generated_at AS depth_map_generated_at,
  m.width,
  m.height,
  m.captured_at,
  -- Newest capture first, uploads without a capture date by upload time: the list's sort key.
  COALESCE(m.captured_at, m.uploaded_at) AS sort_at,
  pq.id AS queue_id,
  dc.format AS depth_map_format,
  dc.width AS depth_map_width,
  dc.height AS depth_map_height,
  dc.model_name AS depth_map_model_name
FROM media_items m
LEFT JOIN LATERAL (
  SELECT q.id, q.status, q.attempts, q.last_error
  FROM processing_queue q
  WHERE q.media_item_id = m.id
  ORDER BY q.created_at DESC, q.id DESC
  LIMIT 1
) pq ON true
LEFT JOIN depth_map_cache dc ON dc.media_item_id = m.id;
