-- Remote-fix-first decisions are taken in the transaction that stores the alarm change. A row
-- whose decision was never taken says so ('undecided'), and the start-up sweep takes it.

ALTER TABLE alarms DROP CONSTRAINT alarms_remediation_state_check;
ALTER TABLE alarms ADD CONSTRAINT alarms_remediation_state_check
    CHECK (remediation_state IN ('undecided', 'none', 'trying', 'verifying', 'fixed', 'exhausted'));
ALTER TABLE alarms ALTER COLUMN remediation_state SET DEFAULT 'undecided';

-- Open alarms an earlier version stored and never acted on (it crashed between the transactions
-- of the alarm and of its remedy or ticket).
UPDATE alarms SET remediation_state = 'undecided'
 WHERE status <> 'cleared' AND remediation_state = 'none'
   AND (jsonb_array_length(remedies) > 0 OR (open_ticket AND ticket_requested_at IS NULL));

-- A command's final status is pushed to the alarms waiting on it.
CREATE INDEX alarms_remediation_command ON alarms (remediation_command_id)
    WHERE status <> 'cleared' AND remediation_command_id IS NOT NULL;

ALTER TABLE alarm_events ADD CONSTRAINT alarm_events_type_check
    CHECK (type IN ('raised', 'escalated', 'acknowledged', 'cleared', 'remedy_sent',
                    'remedy_result', 'remedy_not_sent', 'fix_failed', 'ticket_requested'));
