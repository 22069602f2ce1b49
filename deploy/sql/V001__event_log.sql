-- The product event log: append-only, scoped by app, partitioned by month of arrival so old months can be dropped
-- (DROP TABLE product_events_yYYYYmMM). Rows are written by binary COPY in group commits; seq is the log position.

-- No sequence cache: one writer per process draws positions in commit order, and grains rely on that order.
CREATE SEQUENCE IF NOT EXISTS product_events_seq AS bigint;

CREATE TABLE IF NOT EXISTS product_events (
    seq          bigint      NOT NULL,
    id           uuid        NOT NULL,
    app_id       text        NOT NULL,
    product_id   text        NOT NULL,
    event_type   smallint    NOT NULL CHECK (event_type BETWEEN 1 AND 16),
    user_id      text        NULL,
    user_key     text        NULL,
    name         text        NULL,
    occurred_at  timestamptz NOT NULL,
    received_at  timestamptz NOT NULL,
    event_id     text        NULL,
    attributes   jsonb       NOT NULL,
    custom_data  jsonb       NULL,
    PRIMARY KEY (seq, received_at),
    CHECK (user_id IS NOT NULL OR user_key IS NOT NULL)
) PARTITION BY RANGE (received_at);

-- Replay of one product's or one contact's entries after a snapshot position.
CREATE INDEX IF NOT EXISTS ix_product_events_product_seq ON product_events (app_id, product_id, seq);
CREATE INDEX IF NOT EXISTS ix_product_events_user_seq ON product_events (app_id, user_id, seq) WHERE user_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS ix_product_events_visitor_seq ON product_events (app_id, user_key, seq) WHERE user_id IS NULL;
-- Listings, newest event time first.
CREATE INDEX IF NOT EXISTS ix_product_events_time ON product_events (app_id, occurred_at DESC, seq DESC);
CREATE INDEX IF NOT EXISTS ix_product_events_type_time ON product_events (app_id, event_type, occurred_at DESC, seq DESC);

-- Idempotency keys. Not partitioned: a unique key on a partitioned table would have to include the partition key.
CREATE TABLE IF NOT EXISTS product_event_ids (
    app_id      text        NOT NULL,
    event_id    text        NOT NULL,
    id          uuid        NOT NULL,
    received_at timestamptz NOT NULL,
    PRIMARY KEY (app_id, event_id)
);

-- Creates the monthly partitions from the month of p_from for p_months months; existing ones are left alone.
CREATE OR REPLACE FUNCTION product_events_ensure_partitions(p_from timestamptz, p_months integer)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    month_start timestamptz := date_trunc('month', p_from AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
    part_name   text;
BEGIN
    FOR i IN 0 .. p_months - 1 LOOP
        part_name := format('product_events_y%sm%s',
            to_char(month_start AT TIME ZONE 'UTC', 'YYYY'), to_char(month_start AT TIME ZONE 'UTC', 'MM'));
        EXECUTE format(
            'CREATE TABLE IF NOT EXISTS %I PARTITION OF product_events FOR VALUES FROM (%L) TO (%L)',
            part_name, month_start, month_start + interval '1 month');
        month_start := month_start + interval '1 month';
    END LOOP;
END;
$$;
