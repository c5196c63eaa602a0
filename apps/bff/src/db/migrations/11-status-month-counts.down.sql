-- Rollback of 11-status-month-counts.
DROP TRIGGER IF EXISTS processing_queue_status_note_insert ON processing_queue;
DROP TRIGGER IF EXISTS processing_queue_status_note_delete ON processing_queue;
DROP TRIGGER IF EXISTS processing_queue_status_note_update ON processing_queue;
DROP TRIGGER IF EXISTS depth_map_status_note ON depth_map_cache;
DROP TRIGGER IF EXISTS media_items_status_note_update ON media_items;
DROP TRIGGER IF EXISTS media_items_status_note_delete ON media_items;
DROP FUNCTION IF EXISTS note_media_status_row();
DROP FUNCTION IF EXISTS note_media_status_inserted_jobs();
DROP FUNCTION IF EXISTS note_media_status_deleted_jobs();
DROP FUNCTION IF EXISTS refresh_media_status_counts();
DROP VIEW IF EXISTS media_status_bucket_now;
DROP TABLE IF EXISTS media_status_dirty;
DROP TABLE IF EXISTS media_status_month_counts;
DROP TABLE IF EXISTS media_status_buckets;
