-- 05-queue-leases: who holds a processing job and until when, and who asked for it.
-- A worker renews its lease while it works; a job whose lease ran out (the worker died) is put
-- back in the queue by any other worker. requested_by = 'user' marks a reprocess the user asked
-- for: only those may replace a ground-truth depth map.
ALTER TABLE processing_queue
  ADD COLUMN locked_by VARCHAR(255),
  ADD COLUMN lease_expires_at TIMESTAMPTZ,
  ADD COLUMN requested_by VARCHAR(16) NOT NULL DEFAULT 'system'
    CONSTRAINT processing_queue_requested_by_check CHECK (requested_by IN ('system', 'user'));

-- Finds expired leases without scanning finished jobs.
CREATE INDEX idx_processing_queue_lease ON processing_queue (lease_expires_at)
  WHERE status = 'processing';

-- The claim reads only due, queued jobs in priority order: a partial index holds just those, so a
-- busy queue does not walk past every finished job's index entries.
CREATE INDEX idx_processing_queue_claim ON processing_queue (priority, queued_at)
  WHERE status = 'queued';
