-- 08-month-counts: how many items each calendar month (UTC) holds, by media type and whether a
-- depth map exists, kept by triggers in the same transaction as each change. GET /api/timeline
-- reads these few hundred rows instead of aggregating the whole library per request.
CREATE TABLE media_month_counts (
  month      DATE NOT NULL,
  media_type media_type NOT NULL,
  has_depth  BOOLEAN NOT NULL,
  item_count INTEGER NOT NULL CHECK (item_count >= 0),
  CONSTRAINT media_month_counts_pkey PRIMARY KEY (month, media_type, has_depth)
);

-- The gallery's month of an item: its sort key (capture time, else upload time) in UTC.
CREATE FUNCTION media_month_of(sort_at TIMESTAMPTZ) RETURNS DATE
LANGUAGE sql IMMUTABLE AS $$ SELECT date_trunc('month', sort_at AT TIME ZONE 'UTC')::date $$;

CREATE FUNCTION add_to_media_month_count(m DATE, t media_type, d BOOLEAN, delta INTEGER)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO media_month_counts AS c (month, media_type, has_depth, item_count)
  VALUES (m, t, d, GREATEST(delta, 0))
  ON CONFLICT ON CONSTRAINT media_month_counts_pkey
  DO UPDATE SET item_count = GREATEST(c.item_count + delta, 0);
END $$;

-- BEFORE DELETE: the item's depth map is still there (the foreign key's cascade runs after), so
-- the right bucket is decremented; the cascade's depth trigger then finds no item and does nothing.
CREATE FUNCTION media_items_month_count() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM add_to_media_month_count(
      media_month_of(COALESCE(OLD.captured_at, OLD.uploaded_at)), OLD.media_type,
      EXISTS (SELECT 1 FROM depth_map_cache WHERE media_item_id = OLD.id), -1);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM add_to_media_month_count(
      media_month_of(COALESCE(NEW.captured_at, NEW.uploaded_at)), NEW.media_type,
      EXISTS (SELECT 1 FROM depth_map_cache WHERE media_item_id = NEW.id), 1);
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER media_items_month_count_insert
  AFTER INSERT ON media_items
  FOR EACH ROW EXECUTE FUNCTION media_items_month_count();
CREATE TRIGGER media_items_month_count_update
  AFTER UPDATE OF captured_at, uploaded_at, media_type ON media_items
  FOR EACH ROW
  WHEN (OLD.captured_at IS DISTINCT FROM NEW.captured_at
        OR OLD.uploaded_at IS DISTINCT FROM NEW.uploaded_at
        OR OLD.media_type IS DISTINCT FROM NEW.media_type)
  EXECUTE FUNCTION media_items_month_count();
CREATE TRIGGER media_items_month_count_delete
  BEFORE DELETE ON media_items
  FOR EACH ROW EXECUTE FUNCTION media_items_month_count();

-- An item's first depth map moves it to has_depth; its last one leaving moves it back.
CREATE FUNCTION depth_map_month_count() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  item_id UUID := CASE WHEN TG_OP = 'DELETE' THEN OLD.media_item_id ELSE NEW.media_item_id END;
  other_id UUID := CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END;
  item RECORD;
BEGIN
  SELECT media_month_of(COALESCE(captured_at, uploaded_at)) AS month, media_type INTO item
  FROM media_items WHERE id = item_id;
  IF FOUND AND NOT EXISTS (
    SELECT 1 FROM depth_map_cache WHERE media_item_id = item_id AND id <> other_id
  ) THEN
    PERFORM add_to_media_month_count(item.month, item.media_type, TG_OP = 'DELETE', -1);
    PERFORM add_to_media_month_count(item.month, item.media_type, TG_OP = 'INSERT', 1);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER depth_map_month_count
  AFTER INSERT OR DELETE ON depth_map_cache
  FOR EACH ROW EXECUTE FUNCTION depth_map_month_count();

INSERT INTO media_month_counts (month, media_type, has_depth, item_count)
SELECT media_month_of(COALESCE(m.captured_at, m.uploaded_at)), m.media_type,
       EXISTS (SELECT 1 FROM depth_map_cache d WHERE d.media_item_id = m.id), count(*)
FROM media_items m
GROUP BY 1, 2, 3;
