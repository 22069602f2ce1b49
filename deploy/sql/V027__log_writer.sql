-- The event log has one writer in the whole cluster (the log-writer grain): log positions are then drawn in commit
-- order, which grains rely on (they skip entries at or below the position they hold). The writer holding the newest
-- epoch may commit. Each commit reads the epoch under a shared advisory lock; a writer taking over raises the epoch
-- under the exclusive lock, which waits for the commits in flight and fences every later commit of the writer before.
-- applied_through: every entry up to it has reached its grains; a writer taking over applies the entries after it.
CREATE TABLE IF NOT EXISTS log_writer (
    id              smallint    PRIMARY KEY CHECK (id = 1),
    epoch           bigint      NOT NULL,
    holder          text        NOT NULL,
    taken_at        timestamptz NOT NULL,
    applied_through bigint      NOT NULL
);

-- Every entry written before this table existed was applied by the single process that wrote it, or is read by its
-- grains' catch-up from the log.
INSERT INTO log_writer (id, epoch, holder, taken_at, applied_through)
SELECT 1, 0, '', now(), coalesce((SELECT max(seq) FROM product_events), 0)
ON CONFLICT (id) DO NOTHING;
