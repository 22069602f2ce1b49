-- The keys the event log holds entries for: every product, every user (user_id) and every visitor (user_key of an
-- entry without user_id), each registered by the commit that brings its first entries, before those commit. A commit
-- learns from its own insert which of its keys are new, so their grains read neither a snapshot nor the log, without probing every monthly
-- partition of the log for them. A key whose entries left the log (a dropped month) stays: taken for known, it only
-- costs its grain a read that finds nothing.
CREATE TABLE IF NOT EXISTS log_keys (
    app_id text NOT NULL,
    kind   text NOT NULL CHECK (kind IN ('p', 'u', 'k')),
    id     text NOT NULL,
    PRIMARY KEY (app_id, kind, id)
);

-- The keys of a log written before this table existed.
INSERT INTO log_keys (app_id, kind, id)
SELECT DISTINCT app_id, 'p', product_id FROM product_events
UNION SELECT DISTINCT app_id, 'u', user_id FROM product_events WHERE user_id IS NOT NULL
UNION SELECT DISTINCT app_id, 'k', user_key FROM product_events WHERE user_id IS NULL
ON CONFLICT DO NOTHING;
