-- 03-library-view-details: the columns the client's library list needs, appended to
-- media_processing_status (never file paths of media). The spec's columns keep their order.
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

-- Keyset pagination of the library: newest first, ties broken by id.
CREATE INDEX idx_media_items_sort_at ON media_items ((COALESCE(captured_at, uploaded_at)) DESC, id DESC);
