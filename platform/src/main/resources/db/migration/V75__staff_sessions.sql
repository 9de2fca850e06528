-- Console sign-in sessions (docs/console.md). The cookie carries 32 random bytes; only their
-- SHA-256 is stored, so a copy of the database signs nobody in. The CSRF token is not stored: it
-- is an HMAC of the cookie under the server key.

CREATE TABLE staff_sessions (
    -- A handle that is safe to show (audit detail, live-stream bookkeeping); never the secret.
    id              bigserial   PRIMARY KEY,
    id_hash         bytea       NOT NULL UNIQUE,
    -- No foreign key: the bootstrap admin is not a row of staff.
    staff_name      text        NOT NULL,
    created_at      timestamptz NOT NULL,
    last_seen_at    timestamptz NOT NULL,
    -- Moved forward as the session is used, never beyond expires_at.
    idle_expires_at timestamptz NOT NULL,
    -- The absolute end, however busy the session.
    expires_at      timestamptz NOT NULL,
    ended_at        timestamptz,
    created_from    text
);
CREATE INDEX staff_sessions_live ON staff_sessions (staff_name) WHERE ended_at IS NULL;

-- Disabling or revoking a staff member ends their sessions in the same transaction, whichever
-- process does it; re-enabling the account later does not bring them back.
CREATE FUNCTION staff_sessions_end_for_staff() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE staff_sessions SET ended_at = now()
     WHERE staff_name = NEW.name AND ended_at IS NULL;
    RETURN NULL;
END;
$$;

CREATE TRIGGER staff_sessions_end_for_staff
    AFTER UPDATE OF disabled_at, revoked_at ON staff
    FOR EACH ROW
    WHEN ((NEW.disabled_at IS NOT NULL AND OLD.disabled_at IS NULL)
          OR (NEW.revoked_at IS NOT NULL AND OLD.revoked_at IS NULL))
    EXECUTE FUNCTION staff_sessions_end_for_staff();
