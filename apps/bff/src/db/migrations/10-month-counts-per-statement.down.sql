-- Rollback of 10-month-counts-per-statement: back to counting each inserted row (migration 08).
DROP TRIGGER IF EXISTS media_items_month_count_insert ON media_items;
DROP FUNCTION IF EXISTS media_items_month_count_inserted();
CREATE TRIGGER media_items_month_count_insert
  AFTER INSERT ON media_items
  FOR EACH ROW EXECUTE FUNCTION media_items_month_count();
