-- Each audit event carries the hash of its record as stored (JSON object column -> SHA-256), so
-- that `check` finds a record changed outside the platform. Events written before stay valid:
-- their chain hash does not cover the new column while it is null.
ALTER TABLE audit ADD COLUMN enregistrement TEXT;
