-- A customer reporting a fault the platform already has a case for joins that case (docs/tickets.md,
-- "Customer-reported cases"): the report is a line on its timeline, not a second ticket.
INSERT INTO ticket_timeline_kinds (kind) VALUES ('customer_report') ON CONFLICT (kind) DO NOTHING;
