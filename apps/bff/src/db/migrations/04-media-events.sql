-- 04-media-events: NOTIFY on the 'media_events' channel whenever what a client shows of an item
-- changes: a queue entry's status, attempts or error; its depth map added, replaced or removed; the
-- item added or deleted. Any writer (the BFF, a worker on another machine, psql) reaches every
-- connected client through LISTEN. Payloads stay far below NOTIFY's 8000-byte limit.

CREATE FUNCTION notify_queue_change() RETURNS trigger
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

CREATE TRIGGER processing_queue_notify_insert
  AFTER INSERT ON processing_queue
  FOR EACH ROW EXECUTE FUNCTION notify_queue_change();
CREATE TRIGGER processing_queue_notify_update
  AFTER UPDATE ON processing_queue
  FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status
     OR OLD.attempts IS DISTINCT FROM NEW.attempts
     OR OLD.last_error IS DISTINCT FROM NEW.last_error)
  EXECUTE FUNCTION notify_queue_change();

-- Depth map changes; reads (accessed_at, access_count) do not notify.
CREATE FUNCTION notify_depth_map_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  changed depth_map_cache%ROWTYPE;
BEGIN
  IF TG_OP = 'DELETE' THEN changed := OLD; ELSE changed := NEW; END IF;
  PERFORM pg_notify('media_events', json_build_object(
    'kind', 'depth',
    'mediaId', changed.media_item_id,
    'depthMapId', CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE changed.id END
  )::text);
  RETURN NULL;
END;
$$;

CREATE TRIGGER depth_map_cache_notify_insert_delete
  AFTER INSERT OR DELETE ON depth_map_cache
  FOR EACH ROW EXECUTE FUNCTION notify_depth_map_change();
CREATE TRIGGER depth_map_cache_notify_update
  AFTER UPDATE ON depth_map_cache
  FOR EACH ROW
  WHEN (OLD.id IS DISTINCT FROM NEW.id
     OR OLD.file_path IS DISTINCT FROM NEW.file_path
     OR OLD.checksum IS DISTINCT FROM NEW.checksum
     OR OLD.generated_at IS DISTINCT FROM NEW.generated_at)
  EXECUTE FUNCTION notify_depth_map_change();

CREATE FUNCTION notify_media_item_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('media_events', json_build_object(
    'kind', CASE WHEN TG_OP = 'DELETE' THEN 'deleted' ELSE 'added' END,
    'mediaId', CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END
  )::text);
  RETURN NULL;
END;
$$;

CREATE TRIGGER media_items_notify_insert_delete
  AFTER INSERT OR DELETE ON media_items
  FOR EACH ROW EXECUTE FUNCTION notify_media_item_change();
