-- Rollback of 12-source-sync-lease.
ALTER TABLE media_sources
  DROP CONSTRAINT IF EXISTS media_sources_sync_lease_check,
  DROP COLUMN IF EXISTS sync_lease_expires_at,
  DROP COLUMN IF EXISTS sync_holder;
