-- The kinds of timeline entry are rows, not a CHECK list: each part of the service desk (clocks,
-- appointments, parts, quotes, complaints, ...) registers its own kinds in its own migration with
-- one INSERT, instead of re-creating a constraint that another migration also re-creates.
CREATE TABLE ticket_timeline_kinds (
    kind text PRIMARY KEY
);
INSERT INTO ticket_timeline_kinds (kind) VALUES ('transition'), ('evidence'), ('sla_warning'),
    ('sla_breach'), ('escalation'), ('alarm_cleared'), ('alarm_linked');

ALTER TABLE ticket_timeline DROP CONSTRAINT ticket_timeline_kind_check;
ALTER TABLE ticket_timeline ADD CONSTRAINT ticket_timeline_kind_known
    FOREIGN KEY (kind) REFERENCES ticket_timeline_kinds (kind);
