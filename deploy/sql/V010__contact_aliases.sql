-- Which contact each anonymous visitor key belongs to: written by identify and by any event that carries both
-- user_id and user_key (in that event's commit). The first contact to claim a key keeps it. A contact's listing and
-- its grain's replay include the visitor-only events (user_id IS NULL) of every key that belongs to it.
CREATE TABLE IF NOT EXISTS contact_aliases (
    app_id     text        NOT NULL,
    user_key   text        NOT NULL,
    user_id    text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (app_id, user_key)
);

CREATE INDEX IF NOT EXISTS ix_contact_aliases_user ON contact_aliases (app_id, user_id);
