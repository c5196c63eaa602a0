-- 12-source-sync-lease: one sync of a source at a time, across processes and machines. A sync
-- (the server's schedule, `pnpm immich:sync`, another server on the same database) holds its
-- source's lease while it runs and renews it as it goes; another sync of the same source is
-- refused while the lease is held, and takes it over once it has expired (its holder was killed).
ALTER TABLE media_sources
  ADD COLUMN sync_holder           TEXT,
  ADD COLUMN sync_lease_expires_at TIMESTAMPTZ,
  ADD CONSTRAINT media_sources_sync_lease_check
    CHECK ((sync_holder IS NULL) = (sync_lease_expires_at IS NULL));
