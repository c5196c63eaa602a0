-- 11-status-month-counts: items per calendar month by the status of their latest queue entry (and
-- type and depth), for GET /api/timeline?status=…, kept instead of found from the jobs per request.
--
-- A job's status changes several times a second under load, on rows every worker shares (all of
-- today's items sit in one month). Counting in the writing transaction would make every worker
-- wait on the same few counter rows, and two statements claiming and completing jobs in a
-- different order could deadlock on them. So the writers only note which items changed (an
-- append to media_status_dirty, no lock on anything shared), and refresh_media_status_counts()
-- settles the noted items one refresh at a time: it recomputes each item's bucket from what is
-- committed, moves it in the counts and forgets the notes. A refresh never double-counts a change
-- that raced another writer, because it reads the result, not the change.

-- Each item's bucket as last counted (an item with no job has none).
CREATE TABLE media_status_buckets (
  media_item_id UUID PRIMARY KEY,
  month         DATE NOT NULL,
  media_type    media_type NOT NULL,
  has_depth     BOOLEAN NOT NULL,
  status        processing_status NOT NULL
);

CREATE TABLE media_status_month_counts (
  month      DATE NOT NULL,
  media_type media_type NOT NULL,
  has_depth  BOOLEAN NOT NULL,
  status     processing_status NOT NULL,
  item_count INTEGER NOT NULL CHECK (item_count >= 0),
  CONSTRAINT media_status_month_counts_pkey PRIMARY KEY (status, month, media_type, has_depth)
);

-- Items whose bucket may have changed since the last refresh; appended to, never updated.
CREATE TABLE media_status_dirty (
  media_item_id UUID NOT NULL
);

-- An item's bucket now: its month, type, whether it has a depth map and its latest job's status.
CREATE VIEW media_status_bucket_now AS
SELECT m.id AS media_item_id,
       media_month_of(COALESCE(m.captured_at, m.uploaded_at)) AS month,
       m.media_type,
       EXISTS (SELECT 1 FROM depth_map_cache d WHERE d.media_item_id = m.id) AS has_depth,
       pq.status
FROM media_items m
JOIN LATERAL (
  SELECT q.status FROM processing_queue q
  WHERE q.media_item_id = m.id
  ORDER BY q.created_at DESC, q.id DESC
  LIMIT 1
) pq ON true;

-- Settles every noted item; returns how many notes it read. One refresh at a time (an advisory
-- lock), each from a snapshot taken after the previous one committed.
CREATE FUNCTION refresh_media_status_counts() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  noted integer;
  moved integer;
  ids UUID[];
BEGIN
  PERFORM pg_advisory_xact_lock(4718362192);
  WITH notes AS (
    DELETE FROM media_status_dirty RETURNING media_item_id
  )
  SELECT count(*), array_agg(DISTINCT media_item_id) INTO noted, ids FROM notes;
  IF noted = 0 THEN
    RETURN 0;
  END IF;
  -- The items as an array, not a join with the notes: the plan (cached for the session) is then
  -- made for a few items, index lookups, whatever the notes held when it was first made.
  WITH items AS (
    SELECT unnest(ids) AS media_item_id
  ), was AS (
    SELECT b.* FROM media_status_buckets b JOIN items USING (media_item_id)
  ), now_ AS (
    SELECT n.* FROM media_status_bucket_now n JOIN items USING (media_item_id)
  ), put AS (
    INSERT INTO media_status_buckets AS b
    SELECT * FROM now_
    ON CONFLICT (media_item_id) DO UPDATE
    SET month = EXCLUDED.month, media_type = EXCLUDED.media_type,
        has_depth = EXCLUDED.has_depth, status = EXCLUDED.status
  ), gone AS (
    DELETE FROM media_status_buckets b
    USING items i
    WHERE b.media_item_id = i.media_item_id
      AND NOT EXISTS (SELECT 1 FROM now_ WHERE now_.media_item_id = i.media_item_id)
  ), moves AS (
    SELECT status, month, media_type, has_depth, -1 AS delta FROM was
    UNION ALL
    SELECT status, month, media_type, has_depth, 1 FROM now_
  ), net AS (
    SELECT status, month, media_type, has_depth, sum(delta)::integer AS delta
    FROM moves
    GROUP BY 1, 2, 3, 4
    HAVING sum(delta) <> 0
  ), fewer AS (
    -- A bucket loses only items it was counted with, so its row exists.
    UPDATE media_status_month_counts c SET item_count = c.item_count + net.delta
    FROM net
    WHERE net.delta < 0 AND (c.status, c.month, c.media_type, c.has_depth)
      = (net.status, net.month, net.media_type, net.has_depth)
  ), more AS (
    INSERT INTO media_status_month_counts AS c (status, month, media_type, has_depth, item_count)
    SELECT status, month, media_type, has_depth, delta FROM net WHERE delta > 0
    ON CONFLICT ON CONSTRAINT media_status_month_counts_pkey
    DO UPDATE SET item_count = c.item_count + EXCLUDED.item_count
  )
  SELECT count(*) INTO moved FROM net;
  RETURN noted;
END $$;

-- The notes. Row triggers for single changes; statement triggers where one statement adds or
-- removes many jobs (an import queues a thousand at once).
CREATE FUNCTION note_media_status_row() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'media_items' THEN
    INSERT INTO media_status_dirty VALUES (CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END);
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO media_status_dirty VALUES (OLD.media_item_id);
  ELSE
    INSERT INTO media_status_dirty VALUES (NEW.media_item_id);
    IF TG_OP = 'UPDATE' AND OLD.media_item_id IS DISTINCT FROM NEW.media_item_id THEN
      INSERT INTO media_status_dirty VALUES (OLD.media_item_id);
    END IF;
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION note_media_status_inserted_jobs() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO media_status_dirty SELECT DISTINCT media_item_id FROM inserted;
  RETURN NULL;
END $$;

CREATE FUNCTION note_media_status_deleted_jobs() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO media_status_dirty SELECT DISTINCT media_item_id FROM deleted;
  RETURN NULL;
END $$;

CREATE TRIGGER processing_queue_status_note_insert
  AFTER INSERT ON processing_queue
  REFERENCING NEW TABLE AS inserted
  FOR EACH STATEMENT EXECUTE FUNCTION note_media_status_inserted_jobs();
CREATE TRIGGER processing_queue_status_note_delete
  AFTER DELETE ON processing_queue
  REFERENCING OLD TABLE AS deleted
  FOR EACH STATEMENT EXECUTE FUNCTION note_media_status_deleted_jobs();
-- Which job is an item's latest depends on media_item_id and created_at; its bucket on status.
CREATE TRIGGER processing_queue_status_note_update
  AFTER UPDATE OF status, media_item_id, created_at ON processing_queue
  FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status
        OR OLD.media_item_id IS DISTINCT FROM NEW.media_item_id
        OR OLD.created_at IS DISTINCT FROM NEW.created_at)
  EXECUTE FUNCTION note_media_status_row();
CREATE TRIGGER depth_map_status_note
  AFTER INSERT OR DELETE ON depth_map_cache
  FOR EACH ROW EXECUTE FUNCTION note_media_status_row();
CREATE TRIGGER media_items_status_note_update
  AFTER UPDATE OF captured_at, uploaded_at, media_type ON media_items
  FOR EACH ROW
  WHEN (OLD.captured_at IS DISTINCT FROM NEW.captured_at
        OR OLD.uploaded_at IS DISTINCT FROM NEW.uploaded_at
        OR OLD.media_type IS DISTINCT FROM NEW.media_type)
  EXECUTE FUNCTION note_media_status_row();
CREATE TRIGGER media_items_status_note_delete
  AFTER DELETE ON media_items
  FOR EACH ROW EXECUTE FUNCTION note_media_status_row();

-- An existing library: every item with a job, counted now.
INSERT INTO media_status_buckets SELECT * FROM media_status_bucket_now;
INSERT INTO media_status_month_counts (status, month, media_type, has_depth, item_count)
SELECT status, month, media_type, has_depth, count(*)
FROM media_status_buckets
GROUP BY 1, 2, 3, 4;
