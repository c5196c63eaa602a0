-- Rollback of 08-month-counts.
DROP TRIGGER IF EXISTS depth_map_month_count ON depth_map_cache;
DROP TRIGGER IF EXISTS media_items_month_count_insert ON media_items;
DROP TRIGGER IF EXISTS media_items_month_count_update ON media_items;
DROP TRIGGER IF EXISTS media_items_month_count_delete ON media_items;
DROP FUNCTION IF EXISTS depth_map_month_count();
DROP FUNCTION IF EXISTS media_items_month_count();
DROP FUNCTION IF EXISTS add_to_media_month_count(DATE, media_type, BOOLEAN, INTEGER);
DROP FUNCTION IF EXISTS media_month_of(TIMESTAMPTZ);
DROP TABLE IF EXISTS media_month_counts;
