-- Alarms raised by the diagnostics engine, and what was done about them.

CREATE TABLE alarms (
    id                      bigserial   PRIMARY KEY,
    device_id               text        NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    rule_id                 text        NOT NULL,
    severity                text        NOT NULL CHECK (severity IN ('warning', 'minor', 'major', 'critical')),
    status                  text        NOT NULL CHECK (status IN ('active', 'acknowledged', 'cleared')),
    category                text        NOT NULL,
    description             text,
    raised_at               timestamptz NOT NULL,
    last_seen_at            timestamptz NOT NULL,
    count                   bigint      NOT NULL,
    last_value              double precision,
    peak_value              double precision,
    acknowledged_at         timestamptz,
    acknowledged_by         text,
    cleared_at              timestamptz,
    cleared_by              text,
    -- condition_cleared: the data went back to normal; fixed_remotely: a remedy was verified.
    resolution              text        CHECK (resolution IN ('condition_cleared', 'fixed_remotely')),
    open_ticket             boolean     NOT NULL,
    -- The rule's remedies, in order, as they were when the alarm was raised.
    remedies                jsonb       NOT NULL DEFAULT '[]',
    -- Remote-fix-first progress (see diagnostics/RemoteFixFirst.java).
    remediation_state       text        NOT NULL DEFAULT 'none'
                                CHECK (remediation_state IN ('none', 'trying', 'verifying', 'fixed', 'exhausted')),
    remediation_step        int         NOT NULL DEFAULT 0,
    remediation_command_id  text,
    remediation_deadline    timestamptz,
    ticket_requested_at     timestamptz
);
-- One open alarm per device and rule: repeats update it.
CREATE UNIQUE INDEX alarms_one_open ON alarms (device_id, rule_id) WHERE status <> 'cleared';
CREATE INDEX alarms_device ON alarms (device_id, raised_at);
CREATE INDEX alarms_status ON alarms (status, severity);

-- What happened to each alarm, append-only: raised, escalated, acknowledged, remedies sent and
-- their results, fix verified, ticket requested, cleared. (Plain repeats only update the alarm.)
CREATE TABLE alarm_events (
    id          bigserial   PRIMARY KEY,
    alarm_id    bigint      NOT NULL REFERENCES alarms (id) ON DELETE CASCADE,
    ts          timestamptz NOT NULL,
    type        text        NOT NULL,
    severity    text,
    actor       text,
    detail      jsonb
);
CREATE INDEX alarm_events_alarm ON alarm_events (alarm_id, id);

-- On-demand diagnostic sessions and their reports.
CREATE TABLE diagnostic_sessions (
    id            text        PRIMARY KEY,
    device_id     text        NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    requested_by  text        NOT NULL,
    status        text        NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
    created_at    timestamptz NOT NULL,
    completed_at  timestamptz,
    report        jsonb
);
