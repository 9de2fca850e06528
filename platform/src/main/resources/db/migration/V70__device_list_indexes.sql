-- The fleet list pages by keyset on (sort key, id): one index per offered sort, so a page is an
-- index range scan at any fleet size. The key expressions match DeviceListQuery.Sort exactly.
CREATE INDEX devices_type_id ON devices (type, id);
CREATE INDEX devices_model_id ON devices ((coalesce(model, '')), id);
CREATE INDEX devices_firmware_id ON devices ((coalesce(firmware, '')), id);
-- The open-alarm filter asks "does this device have an alarm that is not cleared?".
CREATE INDEX alarms_device_open ON alarms (device_id) WHERE status <> 'cleared';
