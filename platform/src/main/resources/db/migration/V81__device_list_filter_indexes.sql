-- The fleet list filtered and sorted at 100,000 devices (GET /api/v1/devices; measured by
-- bench's console-queries, figures in bench/README.md). Each index matches DeviceRegistry.list's
-- SQL exactly. (healthBelow needs none: HealthScore joins V70's open alarms aggregated once.)

-- idPrefix: `id LIKE 'prefix%'` as a range scan, whatever the database's collation.
CREATE INDEX devices_id_pattern ON devices (id text_pattern_ops);

-- The console's usual view: one device type, ordered by model or firmware, paged by cursor. With
-- V70's (model, id) and (firmware, id) alone, a page of one type scans the other types' rows.
CREATE INDEX devices_type_model_id ON devices (type, (coalesce(model, '')), id);
CREATE INDEX devices_type_firmware_id ON devices (type, (coalesce(firmware, '')), id);
