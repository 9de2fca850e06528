-- The alarm queue's actions (docs/staff-api.md, "Alarm queue actions"): who works an alarm, until
-- when it is snoozed (hidden from the default list, its notifications held), and the note left
-- with its acknowledgement.

ALTER TABLE alarms
    ADD COLUMN assignee      text,
    ADD COLUMN snoozed_until timestamptz,
    ADD COLUMN ack_note      text;

-- "My alarms": the open alarms assigned to one member.
CREATE INDEX alarms_assignee ON alarms (assignee, id) WHERE assignee IS NOT NULL;
