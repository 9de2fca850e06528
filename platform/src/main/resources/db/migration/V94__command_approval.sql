-- A command that needs a second approver (commands.secondApprover) waits in awaiting_approval
-- until another supervisor approves it (then it is queued and its TTL starts) or rejects it; one
-- not decided by approval_due_at expires. decided_by/decided_at: who approved or rejected, when.
ALTER TABLE commands DROP CONSTRAINT commands_status_check;
ALTER TABLE commands ADD CONSTRAINT commands_status_check CHECK (status IN
    ('awaiting_approval', 'queued', 'sent', 'accepted', 'succeeded', 'failed', 'timed_out',
     'expired', 'rejected'));
ALTER TABLE commands ADD COLUMN approval_due_at timestamptz;
ALTER TABLE commands ADD COLUMN decided_by text;
ALTER TABLE commands ADD COLUMN decided_at timestamptz;
CREATE INDEX commands_awaiting_approval ON commands (approval_due_at)
    WHERE status = 'awaiting_approval';
