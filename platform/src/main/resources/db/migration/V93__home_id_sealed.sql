-- The home a device is installed in is personal data too (docs/privacy.md): devices.home_id is
-- now sealed like customer_ref (V92), and the fleet list's home filter matches this blind index.
-- The platform seals existing rows at start-up (DeviceFieldSealing).
ALTER TABLE devices ADD COLUMN home_id_index text;

CREATE INDEX devices_home_id_index ON devices (home_id_index) WHERE home_id_index IS NOT NULL;
