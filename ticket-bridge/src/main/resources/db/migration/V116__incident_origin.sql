-- Detected incidents (docs/incidents.md, "Detected incidents"): the diagnostics engine declares an
-- incident itself when many homes go offline together. Staff must tell at a glance which
-- incidents a person declared and which the platform did, and the KPI reports must be able to
-- leave the automatic ones out, so the incident says where it came from.
ALTER TABLE incidents ADD COLUMN origin text NOT NULL DEFAULT 'declared'
    CHECK (origin IN ('declared', 'detected'));

-- A detected incident's record grows after its declaration: more homes join it, its level rises
-- with the customers affected, the system records the recovery, and devices still down after the
-- rest came back are released to their own tickets. Each is a timeline entry of its own kind.
ALTER TABLE incident_timeline DROP CONSTRAINT incident_timeline_kind_check;
ALTER TABLE incident_timeline ADD CONSTRAINT incident_timeline_kind_check CHECK (kind IN (
    'declared', 'transition', 'review', 'ticket_linked', 'sla_warning', 'sla_breach', 'escalation',
    'devices_joined', 'level_raised', 'recovered', 'devices_released'));
