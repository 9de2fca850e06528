-- The hand-off from the diagnostics engine to the ticket bridge: the engine inserts a row when a
-- fault needs people ('open') or its alarm clears ('alarm_cleared'); the bridge claims each row
-- once (FOR UPDATE SKIP LOCKED) and sets processed_at and ticket_id in the same transaction as the
-- ticket change. The evidence shape is documented in docs/tickets.md.
CREATE TABLE ticket_requests (
    id            bigserial   PRIMARY KEY,
    kind          text        NOT NULL CHECK (kind IN ('open', 'alarm_cleared')),
    device_id     text        NOT NULL,
    alarm_id      bigint,
    rule_id       text        NOT NULL,
    category      text        NOT NULL
        CHECK (category IN ('device_fault', 'software', 'installation_environment', 'connectivity')),
    severity      text        NOT NULL CHECK (severity IN ('critical', 'major', 'minor', 'warning')),
    reason        text        NOT NULL,
    evidence      jsonb       NOT NULL DEFAULT '{}',
    requested_at  timestamptz NOT NULL DEFAULT now(),
    processed_at  timestamptz,
    ticket_id     bigint
);
CREATE INDEX ticket_requests_unprocessed ON ticket_requests (id) WHERE processed_at IS NULL;
