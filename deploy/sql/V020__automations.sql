-- The webhook outbox: a run or a campaign inserts a delivery once (its id derives from the run or the campaign and
-- contact), the delivery worker sends it, retries with backoff and dead-letters it after the last attempt.
-- status: pending, delivered, failed (a retry is scheduled at next_attempt_at), dead.

CREATE TABLE IF NOT EXISTS deliveries (
    id              text        PRIMARY KEY,
    app_id          text        NOT NULL,
    automation_id   text,
    run_id          text,
    campaign_id     text,
    url             text        NOT NULL,
    body            text        NOT NULL,
    signature       text        NOT NULL,
    status          text        NOT NULL,
    attempts        integer     NOT NULL,
    next_attempt_at timestamptz NOT NULL,
    last_error      text,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);

CREATE INDEX IF NOT EXISTS ix_deliveries_due ON deliveries (next_attempt_at) WHERE status IN ('pending', 'failed');
CREATE INDEX IF NOT EXISTS ix_deliveries_app ON deliveries (app_id, created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS ix_deliveries_campaign ON deliveries (app_id, campaign_id) WHERE campaign_id IS NOT NULL;

-- What GET /api/v1/automations/{id}/runs lists; the run grains' own state is in Orleans grain storage.
CREATE TABLE IF NOT EXISTS automation_runs (
    app_id             text        NOT NULL,
    automation_id      text        NOT NULL,
    run_id             text        NOT NULL,
    contact_key        text        NOT NULL,
    status             text        NOT NULL,
    due_at             timestamptz NOT NULL,
    trigger_id         text        NOT NULL,
    trigger_kind       text        NOT NULL,
    trigger_product_id text,
    trigger_event_type integer,
    trigger_segment_id text,
    trigger_at         timestamptz NOT NULL,
    reason             text,
    updated_at         timestamptz NOT NULL,
    PRIMARY KEY (app_id, automation_id, run_id)
);

CREATE INDEX IF NOT EXISTS ix_automation_runs_due ON automation_runs (app_id, automation_id, due_at DESC);
