-- Segment memberships live here, not in grain state, so a segment of millions of contacts works.
-- contact_key is "u/<user_id>" or "k/<user_key>" (an anonymous visitor).

CREATE TABLE IF NOT EXISTS segment_members (
    app_id      text        NOT NULL,
    segment_id  text        NOT NULL,
    contact_key text        NOT NULL,
    since       timestamptz NOT NULL,
    PRIMARY KEY (app_id, segment_id, contact_key)
);

-- The change feed: every join and leave, numbered in the order recorded.
CREATE TABLE IF NOT EXISTS segment_changes (
    number      bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    app_id      text        NOT NULL,
    segment_id  text        NOT NULL,
    contact_key text        NOT NULL,
    joined      boolean     NOT NULL,
    at          timestamptz NOT NULL
);

CREATE INDEX IF NOT EXISTS ix_segment_changes_segment ON segment_changes (app_id, segment_id, number);
