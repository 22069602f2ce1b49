-- Apps and their keys as data (durable mode), next to the apps of configuration. A key is stored only as the SHA-256
-- of its text: keys are 256 random bits behind a recognizable prefix (pe_sk_ secret, pe_pk_ public), so a fast hash is
-- enough (nobody can enumerate 2^256 candidates; a slow password hash would only cost CPU on every request).
-- Several named keys per app; a name is unique among the app's live keys (revoked_at NULL). A rotated key keeps
-- working until its revoked_at, which may lie in the future (the grace of a rotation); a revoked row stays as history.

CREATE TABLE IF NOT EXISTS apps (
    app_id          text        PRIMARY KEY,
    name            text        NOT NULL,
    allowed_origins text[]      NOT NULL DEFAULT '{}',
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS app_keys (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    app_id       text        NOT NULL REFERENCES apps (app_id),
    name         text        NOT NULL,
    kind         text        NOT NULL CHECK (kind IN ('secret', 'public')),
    key_hash     bytea       NOT NULL UNIQUE CHECK (length(key_hash) = 32),
    created_at   timestamptz NOT NULL,
    -- Written at most once a minute per key by each process that saw it used, not per request.
    last_used_at timestamptz,
    revoked_at   timestamptz
);

CREATE UNIQUE INDEX IF NOT EXISTS ux_app_keys_live_name ON app_keys (app_id, name) WHERE revoked_at IS NULL;

-- Every process polls this one number (once a second) and reloads the live keys and apps when it moved. The triggers
-- move it for any change that decides who gets in, whoever makes it (the API, the CLI, or SQL by hand); a write of
-- last_used_at alone does not.
CREATE TABLE IF NOT EXISTS app_registry_version (
    single  boolean PRIMARY KEY DEFAULT true CHECK (single),
    version bigint  NOT NULL
);

INSERT INTO app_registry_version (single, version) VALUES (true, 0) ON CONFLICT DO NOTHING;

CREATE OR REPLACE FUNCTION app_registry_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE app_registry_version SET version = version + 1;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE TRIGGER apps_changed
    AFTER INSERT OR DELETE OR UPDATE OF app_id, allowed_origins OR TRUNCATE ON apps
    FOR EACH STATEMENT EXECUTE FUNCTION app_registry_changed();

CREATE OR REPLACE TRIGGER app_keys_changed
    AFTER INSERT OR DELETE OR UPDATE OF app_id, name, kind, key_hash, revoked_at OR TRUNCATE ON app_keys
    FOR EACH STATEMENT EXECUTE FUNCTION app_registry_changed();

-- Who changed what: apps and keys (written in the transaction of the change), segments, automations, campaigns and
-- erasures. actor: 'operator' (the admin API, behind the operator key), 'cli:<os user>' (the apps command),
-- 'key:<key name>' (an app key; 'config-key:secret' or 'config-key:public' for the keys of configuration).
CREATE TABLE IF NOT EXISTS audit_log (
    id      bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at      timestamptz NOT NULL,
    actor   text        NOT NULL,
    action  text        NOT NULL,
    app_id  text,
    subject text,
    details jsonb
);

CREATE INDEX IF NOT EXISTS ix_audit_log_app ON audit_log (app_id, id DESC);
CREATE INDEX IF NOT EXISTS ix_audit_log_action ON audit_log (action, id DESC);
CREATE INDEX IF NOT EXISTS ix_audit_log_at ON audit_log (at);
