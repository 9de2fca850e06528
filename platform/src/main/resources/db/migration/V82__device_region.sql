-- The service region a device is installed in, as the service organisation names its regions:
-- notification rules route by it (docs/notifications.md) and the fleet list filters by it.
ALTER TABLE devices ADD COLUMN region text;
CREATE INDEX devices_region_id ON devices (region, id) WHERE region IS NOT NULL;
