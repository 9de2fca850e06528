-- Post-fix health checks (docs/tickets.md, "Post-fix health check"; docs/diagnostics.md). When the
-- alarm of a fault that asked for a ticket clears, the bridge is not told at once: the ticket may
-- only be resolved or cancelled once the device has been healthy for a window. The check is
-- written in the transaction that clears the alarm, so it exists if and only if the clear
-- committed; whichever node first finds it due decides it (the row locked, FOR UPDATE SKIP
-- LOCKED) and, in the same transaction, writes its verdict and the ticket request that carries it.
-- A crash at any point leaves either a pending check, decided again later, or a decided one with
-- its request: never a request twice.
CREATE TABLE health_checks (
    alarm_id        bigint      PRIMARY KEY REFERENCES alarms (id) ON DELETE CASCADE,
    device_id       text        NOT NULL,
    rule_id         text        NOT NULL,
    -- The fault as the ticket request names it (the bridge's wire names).
    category        text        NOT NULL,
    severity        text        NOT NULL,
    -- How the alarm cleared (fixed_remotely, condition_cleared): passed on to the bridge.
    resolution      text        NOT NULL,
    -- The check is due diagnostics.healthCheck.window after this.
    cleared_at      timestamptz NOT NULL,
    -- The catalog's run_self_test, sent when the check started, if the device type has it.
    self_test_command_id text,
    -- Why the self-test could not be sent (e.g. too many commands open): the check then fails.
    self_test_refused    text,
    status          text        NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending', 'passed', 'failed')),
    decided_at      timestamptz,
    evidence        jsonb
);
CREATE INDEX health_checks_pending ON health_checks (cleared_at) WHERE status = 'pending';
CREATE INDEX health_checks_device ON health_checks (device_id, cleared_at);
