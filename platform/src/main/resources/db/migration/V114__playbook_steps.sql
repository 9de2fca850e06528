-- Remote-assist playbooks (docs/diagnostics.md, "Playbooks"). A step whose precondition does not
-- hold is skipped ('step_skipped', with the readings it was checked on); a step's expected outcome
-- checked on the verification window's telemetry keeps its evidence ('outcome_checked', or
-- 'fix_failed' when it did not hold); a step whose failure says 'stop' ends the run without a
-- ticket ('stopped'), which the ticket sweep must leave alone.

ALTER TABLE alarm_events DROP CONSTRAINT alarm_events_type_check;
ALTER TABLE alarm_events ADD CONSTRAINT alarm_events_type_check
    CHECK (type IN ('raised', 'escalated', 'acknowledged', 'cleared', 'remedy_sent',
                    'remedy_result', 'remedy_not_sent', 'fix_failed', 'ticket_requested',
                    'step_skipped', 'outcome_checked'));

ALTER TABLE alarms DROP CONSTRAINT alarms_remediation_state_check;
ALTER TABLE alarms ADD CONSTRAINT alarms_remediation_state_check
    CHECK (remediation_state IN ('undecided', 'none', 'trying', 'verifying', 'fixed', 'exhausted',
                                 'stopped'));

