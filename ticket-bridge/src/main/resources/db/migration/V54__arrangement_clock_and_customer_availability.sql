-- The arrangement clock (receipt to a confirmed appointment or remote session) is checked for
-- warnings and breaches once each, like the response and repair clocks.
ALTER TABLE tickets
    ADD COLUMN arrangement_warned_at   timestamptz,
    ADD COLUMN arrangement_breached_at timestamptz;

-- appointment_set stops the arrangement clock (the appointments part writes it too, hence ON
-- CONFLICT); customer_unavailable / customer_available pause and resume the repair clock.
INSERT INTO ticket_timeline_kinds (kind) VALUES ('appointment_set') ON CONFLICT (kind) DO NOTHING;
INSERT INTO ticket_timeline_kinds (kind) VALUES ('customer_unavailable'), ('customer_available')
    ON CONFLICT (kind) DO NOTHING;
