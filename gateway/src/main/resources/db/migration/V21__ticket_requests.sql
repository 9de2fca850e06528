-- The durable hand-off from the diagnostics engine to the ticket bridge (an outbox): the engine
-- inserts a request in the same transaction as the alarm change that warrants it; the bridge
-- claims unprocessed rows and marks them processed in the transaction that acts on them.
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
