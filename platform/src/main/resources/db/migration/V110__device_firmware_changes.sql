-- Every change of a device's stored firmware (reported by the device in a command result or an
-- event): the firmware regression guard (GET /api/v1/fleet/firmware) counts the device-days each
-- version was in service from it. A device runs the `previous` of its first change from its
-- registration until then, and its current firmware when it has no change. Nothing recorded the
-- changes before this migration (the audit log names the new version, not the old), so a device
-- upgraded before it counts its current version over its whole life.
CREATE TABLE device_firmware_changes (
    id          bigserial   PRIMARY KEY,
    device_id   text        NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    previous    text,
    firmware    text        NOT NULL,
    changed_at  timestamptz NOT NULL
);
CREATE INDEX device_firmware_changes_device ON device_firmware_changes (device_id, changed_at, id);

-- The guard reads one model's alarms in a range of time: an index-only scan instead of every
-- model's alarms of the range (alarms_raised_at).
CREATE INDEX alarms_model_raised_at ON alarms (model, raised_at) INCLUDE (firmware, rule_id, device_id);
