-- 07-video-depth: depth videos and the progress of long jobs.
-- A video's depth is one H.264 MP4 per item, each frame its colour stacked over its depth
-- (docs/architecture.md: why not a video_frames table): a new depth_map_format value. Long jobs
-- record how far they are (percent), sent live like the other queue changes.
ALTER TYPE depth_map_format ADD VALUE 'mp4';

ALTER TABLE processing_queue
  ADD COLUMN progress smallint CHECK (progress BETWEEN 0 AND 100);

CREATE OR REPLACE FUNCTION notify_queue_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('media_events', json_build_object(
    'kind', 'queue',
    'mediaId', NEW.media_item_id,
    'queueId', NEW.id,
    'status', NEW.status,
    'attempts', NEW.attempts,
    'lastError', left(NEW.last_error, 2000),
    'progress', NEW.progress
  )::text);
  RETURN NULL;
END;
$$;

DROP TRIGGER processing_queue_notify_update ON processing_queue;
CREATE TRIGGER processing_queue_notify_update
  AFTER UPDATE ON processing_queue
  FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status
     OR OLD.attempts IS DISTINCT FROM NEW.attempts
     OR OLD.last_error IS DISTINCT FROM NEW.last_error
     OR OLD.progress IS DISTINCT FROM NEW.progress)
  EXECUTE FUNCTION notify_queue_change();

-- The newest job's progress, appended to the library view.
CREATE OR REPLACE VIEW media_processing_status AS
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
  COALESCE(m.captured_at, m.uploaded_at) AS sort_at,
  pq.id AS queue_id,
  dc.format AS depth_map_format,
  dc.width AS depth_map_width,
  dc.height AS depth_map_height,
  dc.model_name AS depth_map_model_name,
  pq.progress AS processing_progress
FROM media_items m
LEFT JOIN LATERAL (
  SELECT q.id, q.status, q.attempts, q.last_error, q.progress
  FROM processing_queue q
  WHERE q.media_item_id = m.id
  ORDER BY q.created_at DESC, q.id DESC
  LIMIT 1
) pq ON true
LEFT JOIN depth_map_cache dc ON dc.media_item_id = m.id;
