-- Rollback of 13-batched-insert-events: one NOTIFY per inserted row again (04-media-events).
DROP TRIGGER IF EXISTS processing_queue_notify_insert ON processing_queue;
CREATE TRIGGER processing_queue_notify_insert
  AFTER INSERT ON processing_queue
  FOR EACH ROW EXECUTE FUNCTION notify_queue_change();
DROP FUNCTION IF EXISTS notify_queue_inserted();

DROP TRIGGER IF EXISTS media_items_notify_insert ON media_items;
DROP TRIGGER IF EXISTS media_items_notify_delete ON media_items;
CREATE TRIGGER media_items_notify_insert_delete
  AFTER INSERT OR DELETE ON media_items
  FOR EACH ROW EXECUTE FUNCTION notify_media_item_change();
DROP FUNCTION IF EXISTS notify_media_items_added();
