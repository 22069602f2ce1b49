-- Two silos making the same new month's partition at once could both pass CREATE TABLE IF NOT EXISTS and one of them
-- fail ("relation ... already exists"), failing its commit. The function now takes a transaction-scoped advisory lock
-- first: callers make partitions one at a time, and the later one finds them made.
CREATE OR REPLACE FUNCTION product_events_ensure_partitions(p_from timestamptz, p_months integer)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    month_start timestamptz := date_trunc('month', p_from AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
    part_name   text;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('product_events_ensure_partitions'));
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
