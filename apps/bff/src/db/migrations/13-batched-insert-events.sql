-- 13-batched-insert-events: rows added by one statement are announced in batches instead of one
-- NOTIFY per row (04-media-events): an import of 3000 photos sent 6000 notifications (the item
-- and its depth job), each a trigger call, and cost its inserts ~15–19% of their time. Now one
-- statement-level trigger per table reads the statement's new rows and sends them in batches:
--   {"kind":"added","mediaIds":[…]}          up to 100 items (~4 KB, far below NOTIFY's 8000 bytes)
--   {"kind":"queue","changes":[{…},…]}        up to 25 new jobs, each as 07's per-row payload
-- A new job that already carries an error (2000 characters allowed) goes alone, as before.
-- Deletes and updates stay per row. Listeners expand a batch into its rows, in order.

CREATE FUNCTION notify_media_items_added() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  payload text;
BEGIN
  FOR payload IN
    SELECT json_build_object('kind', 'added', 'mediaIds', json_agg(id ORDER BY n))::text
    FROM (SELECT id, row_number() OVER () AS n FROM added) AS numbered
    GROUP BY (n - 1) / 100
    ORDER BY (n - 1) / 100
  LOOP
    PERFORM pg_notify('media_events', payload);
  END LOOP;
  RETURN NULL;
END;
$$;

DROP TRIGGER media_items_notify_insert_delete ON media_items;
CREATE TRIGGER media_items_notify_delete
  AFTER DELETE ON media_items
  FOR EACH ROW EXECUTE FUNCTION notify_media_item_change();
CREATE TRIGGER media_items_notify_insert
  AFTER INSERT ON media_items
  REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION notify_media_items_added();

CREATE FUNCTION notify_queue_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  payload text;
BEGIN
  FOR payload IN
    SELECT json_build_object('kind', 'queue', 'changes', json_agg(json_build_object(
      'kind', 'queue',
      'mediaId', media_item_id,
      'queueId', id,
      'status', status,
      'attempts', attempts,
      'lastError', NULL,
      'progress', progress
    ) ORDER BY n))::text
    FROM (SELECT q.*, row_number() OVER () AS n FROM inserted q WHERE last_error IS NULL) AS numbered
    GROUP BY (n - 1) / 25
    ORDER BY (n - 1) / 25
  LOOP
    PERFORM pg_notify('media_events', payload);
  END LOOP;
  FOR payload IN
    SELECT json_build_object(
      'kind', 'queue',
      'mediaId', media_item_id,
      'queueId', id,
      'status', status,
      'attempts', attempts,
      'lastError', left(last_error, 2000),
      'progress', progress
    )::text
    FROM inserted WHERE last_error IS NOT NULL
  LOOP
    PERFORM pg_notify('media_events', payload);
  END LOOP;
  RETURN NULL;
END;
$$;

DROP TRIGGER processing_queue_notify_insert ON processing_queue;
CREATE TRIGGER processing_queue_notify_insert
  AFTER INSERT ON processing_queue
  REFERENCING NEW TABLE AS inserted
  FOR EACH STATEMENT EXECUTE FUNCTION notify_queue_inserted();
