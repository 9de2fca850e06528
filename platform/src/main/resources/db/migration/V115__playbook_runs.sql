-- Playbooks started by staff on a device (docs/diagnostics.md, "Playbooks"; the API's
-- /devices/{id}/playbook-runs). Every step's state is here, so that a restart or another node
-- continues a run when its command ends.
CREATE TABLE playbook_runs (
    id              bigserial   PRIMARY KEY,
    device_id       text        NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    playbook        text        NOT NULL,
    -- The playbook's steps as they were when the run started; a rule reload does not change a run.
    steps           jsonb       NOT NULL,
    started_by      text        NOT NULL,
    -- Later steps are sent on the starter's behalf: with their role and the owner's consent.
    started_by_role text        NOT NULL,
    started_from    text,
    started_at      timestamptz NOT NULL,
    state           text        NOT NULL CHECK (state IN ('running', 'succeeded', 'failed', 'stopped')),
    step            integer     NOT NULL DEFAULT 0,
    command_id      text,
    ended_at        timestamptz
);
CREATE INDEX playbook_runs_device ON playbook_runs (device_id, id);
CREATE INDEX playbook_runs_waiting ON playbook_runs (command_id) WHERE state = 'running';

-- What happened to each step, in order: sent, succeeded, failed (with the command's status),
-- refused (the command service said no, e.g. no owner consent) or skipped (with the readings the
-- precondition was checked on).
CREATE TABLE playbook_run_events (
    id          bigserial   PRIMARY KEY,
    run_id      bigint      NOT NULL REFERENCES playbook_runs (id) ON DELETE CASCADE,
    step        text        NOT NULL,
    command     text        NOT NULL,
    command_id  text,
    outcome     text        NOT NULL CHECK (outcome IN ('sent', 'succeeded', 'failed', 'refused', 'skipped')),
    at          timestamptz NOT NULL,
    detail      jsonb       NOT NULL DEFAULT '{}'
);
CREATE INDEX playbook_run_events_run ON playbook_run_events (run_id, id);
