-- Rollback of 01-schema: drops everything it created, dependants first.
DROP VIEW IF EXISTS media_processing_status;
DROP VIEW IF EXISTS processing_queue_summary;
DROP TABLE IF EXISTS depth_map_cache;
DROP TABLE IF EXISTS processing_queue;
DROP TABLE IF EXISTS media_items;
DROP FUNCTION IF EXISTS update_updated_at_column();
DROP TYPE IF EXISTS depth_map_format;
DROP TYPE IF EXISTS processing_status;
DROP TYPE IF EXISTS media_type;
