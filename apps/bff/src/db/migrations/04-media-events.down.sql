-- Rollback of 04-media-events.
DROP TRIGGER media_items_notify_insert_delete ON media_items;
DROP TRIGGER depth_map_cache_notify_update ON depth_map_cache;
DROP TRIGGER depth_map_cache_notify_insert_delete ON depth_map_cache;
DROP TRIGGER processing_queue_notify_update ON processing_queue;
DROP TRIGGER processing_queue_notify_insert ON processing_queue;
DROP FUNCTION notify_media_item_change();
DROP FUNCTION notify_depth_map_change();
DROP FUNCTION notify_queue_change();
