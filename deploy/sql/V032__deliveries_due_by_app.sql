-- Deliveries are claimed a few per app in turn, so one app's slow receiver cannot hold every request a worker has in
-- flight: the claim walks the apps with due deliveries through this index, and takes each app's oldest.
CREATE INDEX IF NOT EXISTS ix_deliveries_due_by_app ON deliveries (app_id, next_attempt_at) WHERE status IN ('pending', 'failed');
