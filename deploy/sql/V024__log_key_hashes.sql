-- The keys the event log holds entries for (see V005), each as a 64-bit hash of app, kind and id instead of the three
-- texts: a commit inserts its unknown keys here and learns from the rows it inserted which are new, and an integer
-- key costs that insert far less than texts compared at every level of the index. The hash errs one way only: a key
-- whose hash is here is taken for known. Two keys sharing a hash (odds of about 1 in 10^19 per pair) cost the second
-- one's grain a read that finds nothing; a key with entries always has its hash here, so none is taken for new.
-- hashtextextended is the hash of PostgreSQL's hash indexes and hash partitions, which keep their values across major
-- versions. app_id is kept to tell the keys of an app, outside the key.
CREATE OR REPLACE FUNCTION log_key_hash(app_id text, kind text, id text) RETURNS bigint
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN hashtextextended(kind || length(app_id) || ':' || app_id || id, 0);

CREATE TABLE IF NOT EXISTS log_key_hashes (
    key_hash bigint NOT NULL PRIMARY KEY,
    app_id   text   NOT NULL
);

INSERT INTO log_key_hashes (key_hash, app_id)
SELECT log_key_hash(app_id, kind, id), app_id FROM log_keys
ON CONFLICT DO NOTHING;

DROP TABLE log_keys;
