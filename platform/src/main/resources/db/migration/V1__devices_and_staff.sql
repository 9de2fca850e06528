-- Devices, staff accounts and the audit log.
-- Secrets are never stored: only a random salt and SHA-256(salt || token) (see TokenHasher).

CREATE TABLE devices (
    id              text        PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9._-]{1,64}$'),
    type            text        NOT NULL,
    model           text,
    firmware        text,
    home_id         text,
    token_salt      bytea       NOT NULL,
    token_hash      bytea       NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    -- Connectivity summary; the history is in device_connectivity.
    online          boolean     NOT NULL DEFAULT false,
    protocol        text,
    last_seen_at    timestamptz,
    online_changed_at timestamptz
);

CREATE TABLE staff (
    name            text        PRIMARY KEY CHECK (name ~ '^[A-Za-z0-9._@-]{1,64}$'),
    role            text        NOT NULL CHECK (role IN ('viewer', 'technician', 'supervisor', 'admin')),
    -- Public half of the bearer token, used to find the row; the secret half is only hashed.
    token_id        text        NOT NULL UNIQUE,
    token_salt      bytea       NOT NULL,
    token_hash      bytea       NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    created_by      text        NOT NULL,
    revoked_at      timestamptz
);

-- Append-only: the application only inserts; the trigger refuses changes to history.
CREATE TABLE audit_log (
    id              bigserial   PRIMARY KEY,
    ts              timestamptz NOT NULL DEFAULT now(),
    actor           text        NOT NULL,
    action          text        NOT NULL,
    target          text,
    outcome         text        NOT NULL CHECK (outcome IN ('allowed', 'denied', 'failed')),
    remote_address  text,
    detail          jsonb
);
CREATE INDEX audit_log_actor_ts ON audit_log (actor, ts);
CREATE INDEX audit_log_ts ON audit_log (ts);

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
