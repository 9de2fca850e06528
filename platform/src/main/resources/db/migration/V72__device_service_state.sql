-- A device's place in its service life: active (watched as usual), maintenance (being worked on:
-- its link alarms are not raised and no ticket is opened for it), decommissioned (taken out of
-- service: as maintenance, and its token no longer connects it).
ALTER TABLE devices
    ADD COLUMN service_state text NOT NULL DEFAULT 'active'
        CHECK (service_state IN ('active', 'maintenance', 'decommissioned'));
-- Staff accounts can be disabled without being revoked, and re-enabled.
ALTER TABLE staff
    ADD COLUMN disabled_at timestamptz;
