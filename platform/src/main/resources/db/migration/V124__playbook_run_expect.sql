-- Staff-started playbook runs check each step's expected outcome (docs/diagnostics.md,
-- "Playbooks", "Started by staff"). A step with an `expect` whose command succeeded is not the
-- end of the run: the run waits until verify_until (diagnostics.verifyWindow later) and then
-- checks the expectation on that window's telemetry. The deadline is a column, so a restart or
-- another node takes the check when it falls due. Its verdict is a step event of its own, with the
-- readings as evidence: outcome_met ends the run succeeded, outcome_not_met fails the step.
ALTER TABLE playbook_runs ADD COLUMN verify_until timestamptz;
CREATE INDEX playbook_runs_verifying ON playbook_runs (verify_until)
    WHERE state = 'running' AND verify_until IS NOT NULL;

ALTER TABLE playbook_run_events DROP CONSTRAINT playbook_run_events_outcome_check;
ALTER TABLE playbook_run_events ADD CONSTRAINT playbook_run_events_outcome_check
    CHECK (outcome IN ('sent', 'succeeded', 'failed', 'refused', 'skipped', 'outcome_met',
                       'outcome_not_met'));
