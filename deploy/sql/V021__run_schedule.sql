-- automation_runs becomes the durable timer of waits: run schedulers claim waiting runs that are due, holding them
-- until lease_until (a scheduler that dies lets another take them after that), and record how they ended.

ALTER TABLE automation_runs ADD COLUMN IF NOT EXISTS lease_until timestamptz;

CREATE INDEX IF NOT EXISTS ix_automation_runs_waiting ON automation_runs (due_at) WHERE status = 'waiting';
