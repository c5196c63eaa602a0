-- Rollback of 05-queue-leases.
DROP INDEX IF EXISTS idx_processing_queue_claim;
DROP INDEX IF EXISTS idx_processing_queue_lease;
ALTER TABLE processing_queue
  DROP COLUMN IF EXISTS requested_by,
  DROP COLUMN IF EXISTS lease_expires_at,
  DROP COLUMN IF EXISTS locked_by;
