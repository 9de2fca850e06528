-- Fault episodes (docs/tickets.md): one ticket per fault on a device, however many of its rules
-- fire. Every alarm that opened or joined a ticket is linked to it; a ticket follows the clear
-- policy only once all its linked alarms have cleared. A fault coming back after `resolved`
-- reopens the ticket and counts the reopen.
CREATE TABLE ticket_alarms (
    id         bigserial   PRIMARY KEY,
    ticket_id  bigint      NOT NULL REFERENCES tickets (id),
    alarm_id   bigint,
    rule_id    text        NOT NULL,
    joined_at  timestamptz NOT NULL,
    cleared_at timestamptz
);
CREATE INDEX ticket_alarms_ticket ON ticket_alarms (ticket_id, id);

-- The alarm each existing ticket was opened for; clears reached them by (device, rule).
INSERT INTO ticket_alarms (ticket_id, alarm_id, rule_id, joined_at)
SELECT id, (evidence ->> 'alarmId')::bigint, rule_id, opened_at FROM tickets;

ALTER TABLE tickets ADD COLUMN reopen_count int NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN resolved_at timestamptz;
UPDATE tickets t SET resolved_at = (SELECT max(at) FROM ticket_timeline l
    WHERE l.ticket_id = t.id AND l.kind = 'transition' AND l.to_status = 'resolved')
WHERE status IN ('resolved', 'closed');

-- A resolved ticket no longer blocks a new one for its rule: past the reopen window the fault
-- comes back as a new case. The index still stops two processors opening the same fault twice.
DROP INDEX tickets_one_live_per_fault;
CREATE UNIQUE INDEX tickets_one_live_per_fault ON tickets (device_id, rule_id)
    WHERE status NOT IN ('resolved', 'closed', 'cancelled');

ALTER TABLE ticket_timeline DROP CONSTRAINT ticket_timeline_kind_check;
ALTER TABLE ticket_timeline ADD CONSTRAINT ticket_timeline_kind_check CHECK (kind IN ('transition',
    'evidence', 'sla_warning', 'sla_breach', 'escalation', 'alarm_cleared',
    'alarm_linked'));
