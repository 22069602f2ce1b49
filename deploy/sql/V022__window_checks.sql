-- The durable timer of segment windows: a contact whose memberships may change with time alone (a window expiring)
-- keeps its earliest pending check here, one row at most. Window check schedulers claim due rows, holding them until
-- lease_until (a scheduler that dies lets another take them after that), re-evaluate their contacts and delete the rows
-- whose due_at is still the one they claimed.

CREATE TABLE IF NOT EXISTS segment_window_checks (
    app_id      text        NOT NULL,
    contact_key text        NOT NULL,
    due_at      timestamptz NOT NULL,
    lease_until timestamptz,
    PRIMARY KEY (app_id, contact_key)
);

CREATE INDEX IF NOT EXISTS ix_segment_window_checks_due ON segment_window_checks (due_at);
