-- Post-fix health checks (docs/tickets.md, "Post-fix health check"). The platform no longer tells
-- the bridge that a ticketed fault's alarm cleared the moment it clears: it first checks the
-- device's health over a window, and only a passed check sends 'alarm_cleared' (carrying the
-- check's evidence) so that the clear policy may resolve or cancel the ticket. A failed check is a
-- request of its own kind, 'health_check_failed', which only records the evidence on the ticket:
-- the ticket keeps working. Both outcomes are one timeline kind, 'health_check'.
ALTER TABLE ticket_requests DROP CONSTRAINT ticket_requests_kind_check;
ALTER TABLE ticket_requests ADD CONSTRAINT ticket_requests_kind_check
    CHECK (kind IN ('open', 'alarm_cleared', 'health_check_failed'));

INSERT INTO ticket_timeline_kinds (kind) VALUES ('health_check') ON CONFLICT (kind) DO NOTHING;
