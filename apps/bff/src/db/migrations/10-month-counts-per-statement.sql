-- 10-month-counts-per-statement: items added by one statement (an import or sync batch of 1000)
-- are counted into media_month_counts by one grouped upsert per statement, from the statement's
-- transition table, instead of one upsert per row (a third of the cost of inserting the batch).
-- Updates and deletes stay per row (a delete must see the item's depth map before it cascades).
DROP TRIGGER media_items_month_count_insert ON media_items;

CREATE FUNCTION media_items_month_count_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO media_month_counts AS c (month, media_type, has_depth, item_count)
  SELECT media_month_of(COALESCE(n.captured_at, n.uploaded_at)) AS month, n.media_type,
         EXISTS (SELECT 1 FROM depth_map_cache d WHERE d.media_item_id = n.id) AS has_depth,
         count(*)
  FROM inserted n
  GROUP BY 1, 2, 3
  -- The same lock order in every transaction: two batches never deadlock on the counts.
  ORDER BY 1, 2, 3
  ON CONFLICT ON CONSTRAINT media_month_counts_pkey
  DO UPDATE SET item_count = c.item_count + EXCLUDED.item_count;
  RETURN NULL;
END $$;

CREATE TRIGGER media_items_month_count_insert
  AFTER INSERT ON media_items
  REFERENCING NEW TABLE AS inserted
  FOR EACH STATEMENT EXECUTE FUNCTION media_items_month_count_inserted();
