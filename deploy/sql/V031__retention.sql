-- Retention (ProductEvents:Apps:<appId>:Retention; docs/operations.md#retention). Entries older than an app's
-- retention leave the log: whole monthly partitions are dropped when every app in them allows it, rows are deleted in
-- bounded batches otherwise. The contacts whose entries left are queued here in the transaction that removes them, and
-- their grains rebuild from what the log still holds; a row is deleted once its contact has, so a crash between the
-- removal and the rebuild loses no rebuild.
CREATE TABLE IF NOT EXISTS contact_reloads (
    app_id      text        NOT NULL,
    contact_key text        NOT NULL,
    queued_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (app_id, contact_key)
);

-- Idempotency claims leave with their entries: the ones older than the oldest entry an app keeps.
CREATE INDEX IF NOT EXISTS ix_product_event_ids_received ON product_event_ids (app_id, received_at);

-- The months the log holds, by partition (product_events_yYYYYmMM), with their bounds.
CREATE OR REPLACE FUNCTION product_events_months()
RETURNS TABLE (partition_name text, month_start timestamptz, month_end timestamptz) LANGUAGE sql STABLE AS $$
    SELECT name, start, (start AT TIME ZONE 'UTC' + interval '1 month') AT TIME ZONE 'UTC'
    FROM (SELECT c.relname::text AS name,
                 make_timestamptz(substring(c.relname from 'y(\d{4})m')::int, substring(c.relname from 'm(\d{2})$')::int, 1, 0, 0, 0, 'UTC') AS start
          FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
          WHERE i.inhparent = 'product_events'::regclass AND c.relname ~ '^product_events_y\d{4}m\d{2}$') p
    ORDER BY start;
$$;
