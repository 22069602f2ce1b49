-- Erasure of a contact (DELETE /api/v1/contacts/{user_id}; docs/decisions/0012-contact-erasure-and-retention.md). The
-- request is recorded here before anything is erased; workers then run its steps in order and save the next one after
-- each, so a crash in the middle resumes at the step it was in (every step can run twice). A row whose lease has ended
-- and that is not done is taken again, by any silo. A done row is deleted a day later: it holds the user id.
CREATE TABLE IF NOT EXISTS contact_erasures (
    app_id        text        NOT NULL,
    user_id       text        NOT NULL,
    -- The anonymous visitors merged into the contact when the erasure was requested: erased with it. Kept here because
    -- the step that erases the log also erases the record of those merges.
    visitor_keys  text[]      NOT NULL,
    requested_at  timestamptz NOT NULL,
    -- The next step to run: log, grains, segments, automations, deliveries, numbers, sweep, done.
    step          text        NOT NULL,
    events        bigint      NOT NULL DEFAULT 0,
    segments      integer     NOT NULL DEFAULT 0,
    runs          integer     NOT NULL DEFAULT 0,
    deliveries    integer     NOT NULL DEFAULT 0,
    attempts      integer     NOT NULL DEFAULT 0,
    last_error    text        NULL,
    lease_until   timestamptz NULL,
    done_at       timestamptz NULL,
    PRIMARY KEY (app_id, user_id)
);

CREATE INDEX IF NOT EXISTS ix_contact_erasures_open ON contact_erasures (lease_until) WHERE done_at IS NULL;
CREATE INDEX IF NOT EXISTS ix_contact_erasures_done ON contact_erasures (done_at) WHERE done_at IS NOT NULL;

-- The contact a webhook names (its body's user_id, else user_key), as a contact key: how an erasure finds the
-- contact's deliveries, whether a run or a campaign wrote them. Computed by PostgreSQL from the body it stores.
ALTER TABLE deliveries ADD COLUMN IF NOT EXISTS contact_key text GENERATED ALWAYS AS (
    CASE WHEN (body::jsonb ->> 'user_id') IS NOT NULL THEN 'u/' || (body::jsonb ->> 'user_id')
         ELSE 'k/' || (body::jsonb ->> 'user_key') END) STORED;
CREATE INDEX IF NOT EXISTS ix_deliveries_contact ON deliveries (app_id, contact_key);

-- A contact's runs and membership changes, for its export and its erasure.
CREATE INDEX IF NOT EXISTS ix_automation_runs_contact ON automation_runs (app_id, contact_key);
CREATE INDEX IF NOT EXISTS ix_segment_changes_contact ON segment_changes (app_id, contact_key);

-- A leave recorded because the contact was erased: the change feed says so, and no automation starts a run from it.
ALTER TABLE segment_changes ADD COLUMN IF NOT EXISTS erased boolean NOT NULL DEFAULT false;
