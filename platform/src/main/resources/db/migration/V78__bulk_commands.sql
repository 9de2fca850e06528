-- Bulk commands (docs/staff-api.md, "Bulk commands"): one command to every device a fleet filter
-- matched when the batch was submitted. The targets are fixed at submission; the dispatcher
-- submits one ordinary command per target at a limited rate and records its id (or why it was
-- refused) in the same transaction as the command, so a restart resumes the targets still
-- undispatched and dispatches none twice.

CREATE TABLE bulk_commands (
    id              text        PRIMARY KEY,
    -- Submission order, for the newest-first list.
    seq             bigserial   NOT NULL UNIQUE,
    command         text        NOT NULL,
    params          jsonb       NOT NULL,
    ttl_seconds     bigint,
    -- The GET /devices filter keys as submitted.
    filter          jsonb       NOT NULL,
    total           int         NOT NULL,
    created_by      text        NOT NULL,
    -- The role the batch was authorised with; each device's command is submitted with it.
    created_by_role text        NOT NULL,
    requested_from  text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    -- Set when the last target was dispatched.
    finished_at     timestamptz
);
CREATE INDEX bulk_commands_running ON bulk_commands (created_by) WHERE finished_at IS NULL;

CREATE TABLE bulk_command_targets (
    bulk_id         text        NOT NULL REFERENCES bulk_commands (id) ON DELETE CASCADE,
    device_id       text        NOT NULL,
    -- Exactly one of these once dispatched: the command submitted, or why it was refused.
    command_id      text        REFERENCES commands (id) ON DELETE SET NULL,
    error           text,
    dispatched_at   timestamptz,
    PRIMARY KEY (bulk_id, device_id)
);
CREATE INDEX bulk_command_targets_undispatched ON bulk_command_targets (bulk_id, device_id)
    WHERE dispatched_at IS NULL;
