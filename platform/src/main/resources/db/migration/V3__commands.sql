-- Remote-assist commands and their life cycle (see command/CommandLifecycle.java).

CREATE TABLE commands (
    id                  text        PRIMARY KEY,
    -- Delivery order per device.
    seq                 bigserial   NOT NULL UNIQUE,
    device_id           text        NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    name                text        NOT NULL,
    params              jsonb       NOT NULL,
    risk                text        NOT NULL CHECK (risk IN ('low', 'medium', 'high')),
    status              text        NOT NULL CHECK (status IN
                            ('queued', 'sent', 'accepted', 'succeeded', 'failed', 'timed_out', 'expired')),
    requested_by        text        NOT NULL,
    requested_from      text,
    idempotency_key     text,
    created_at          timestamptz NOT NULL,
    -- Deliver before this or expire.
    expires_at          timestamptz NOT NULL,
    -- After delivery, a final result is expected within this.
    delivery_timeout_ms bigint      NOT NULL,
    sent_at             timestamptz,
    accepted_at         timestamptz,
    completed_at        timestamptz,
    timed_out_at        timestamptz,
    expired_at          timestamptz,
    output              jsonb,
    -- A result that arrived after the command had already ended (timed out, expired, done).
    late_status         text,
    late_output         jsonb,
    late_at             timestamptz,
    UNIQUE (requested_by, idempotency_key)
);
CREATE INDEX commands_device_seq ON commands (device_id, seq);
CREATE INDEX commands_open ON commands (status, expires_at) WHERE status IN ('queued', 'sent', 'accepted');

-- Every transition with its time, append-only.
CREATE TABLE command_transitions (
    id          bigserial   PRIMARY KEY,
    command_id  text        NOT NULL REFERENCES commands (id) ON DELETE CASCADE,
    ts          timestamptz NOT NULL,
    from_status text,
    to_status   text        NOT NULL,
    actor       text        NOT NULL,
    note        text
);
CREATE INDEX command_transitions_command ON command_transitions (command_id, id);
