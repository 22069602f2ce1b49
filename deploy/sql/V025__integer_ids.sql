-- Integer ids (docs/decisions/0010). An event's integer id is its log position: each idempotency claim now keeps its
-- event's position, so a repeated event_id is answered with the first event's. Claims made before this script get
-- theirs from the log; a claim whose event is gone with a dropped partition keeps none.
ALTER TABLE product_event_ids ADD COLUMN IF NOT EXISTS seq bigint NULL;

UPDATE product_event_ids i SET seq = e.seq
FROM product_events e
WHERE i.seq IS NULL AND e.app_id = i.app_id AND e.event_id = i.event_id AND e.id = i.id;

-- Products' and contacts' integer ids: numbered the first time the API shows or resolves them, never reused, never
-- renumbered. One identity for every app and kind, so a number names one entity; kind is 'p' (product id), 'u' (the
-- shop's user id) or 'v' (an anonymous visitor's key).
CREATE TABLE IF NOT EXISTS entity_numbers (
    number bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    app_id text   NOT NULL,
    kind   text   NOT NULL CHECK (kind IN ('p', 'u', 'v')),
    key    text   NOT NULL,
    UNIQUE (app_id, kind, key)
);
