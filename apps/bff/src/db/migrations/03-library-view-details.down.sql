DROP INDEX IF EXISTS idx_media_items_sort_at;
DROP VIEW IF EXISTS media_processing_status;
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
