-- Owner-consented support sessions (docs/privacy.md, "Support sessions"): through their case's
-- link (docs/customer-api.md) the owner lets staff send commands of some classes to some of their
-- devices until a time; staff commands beyond read-only diagnostics are refused without one. The
-- owner may revoke a session at any time. Every command sent under a session is listed with it,
-- which is what the owner reads as the session's activity.

CREATE TABLE support_sessions (
    id              text        PRIMARY KEY,
    -- The case (ticket) whose link granted the session, and that link.
    case_id         bigint      NOT NULL,
    link_id         text        NOT NULL,
    -- The command classes allowed (CommandClass: restart, network, settings, lock, camera,
    -- firmware); read-only diagnostics never need a session.
    command_classes text[]      NOT NULL CHECK (cardinality(command_classes) > 0),
    granted_at      timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    revoked_at      timestamptz,
    CHECK (expires_at > granted_at)
);
CREATE INDEX support_sessions_case ON support_sessions (case_id, granted_at DESC);

CREATE TABLE support_session_devices (
    session_id      text        NOT NULL REFERENCES support_sessions (id) ON DELETE CASCADE,
    device_id       text        NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    PRIMARY KEY (session_id, device_id)
);
CREATE INDEX support_session_devices_device ON support_session_devices (device_id);

-- What staff did under a session: one row per command sent under it, written in the command's
-- own transaction (next to its audit entry command.submit, which names the session too).
CREATE TABLE support_session_actions (
    id              bigserial   PRIMARY KEY,
    session_id      text        NOT NULL REFERENCES support_sessions (id) ON DELETE CASCADE,
    at              timestamptz NOT NULL,
    actor           text        NOT NULL,
    -- The actor's role: what the owner is shown instead of a staff member's name.
    actor_role      text        NOT NULL,
    device_id       text        NOT NULL,
    command_id      text        NOT NULL UNIQUE REFERENCES commands (id) ON DELETE CASCADE,
    command         text        NOT NULL,
    command_class   text        NOT NULL
);
CREATE INDEX support_session_actions_session ON support_session_actions (session_id, id);
