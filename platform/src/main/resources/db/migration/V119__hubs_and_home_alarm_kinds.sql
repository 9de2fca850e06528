-- Hubs and home degradation (docs/diagnostics.md, "Root cause across devices: homes").

-- The hub a device sits behind (a Zigbee sensor behind its hub): when every device behind one hub
-- goes offline together, the hub is the likely cause, not each device. One level only (a hub
-- sits behind no hub), and a device and its hub share a home: DeviceRegistry checks both, which a
-- CHECK constraint cannot (they span rows). ON DELETE SET NULL: devices are not deleted in
-- operation, but a deleted hub must not take the devices behind it along.
ALTER TABLE devices ADD COLUMN hub_id text REFERENCES devices (id) ON DELETE SET NULL;
CREATE INDEX devices_hub ON devices (hub_id) WHERE hub_id IS NOT NULL;

-- What a home alarm stands for: the whole home offline (power or internet), every device behind
-- one hub offline (the hub, named in hub_id), or most of the home degraded together (its router
-- or its Wi-Fi). Existing rows are all outages.
ALTER TABLE home_alarms ADD COLUMN kind text NOT NULL DEFAULT 'outage'
    CHECK (kind IN ('outage', 'hub_failure', 'degraded'));
ALTER TABLE home_alarms ADD COLUMN hub_id text;
ALTER TABLE home_alarms ADD CONSTRAINT home_alarms_hub_named
    CHECK ((kind = 'hub_failure') = (hub_id IS NOT NULL));
-- One open home alarm per home and kind, and per hub for hub failures (two hubs of one home can
-- fail apart), even if two nodes raise it at once.
DROP INDEX home_alarms_one_open;
CREATE UNIQUE INDEX home_alarms_one_open ON home_alarms (home_index, kind, COALESCE(hub_id, ''))
    WHERE status <> 'cleared';

-- A degradation alarm (wifi_weak, …) of a device whose home could still turn out degraded as a
-- whole waits this long, undecided, for the home's other devices before its remedy or ticket: a
-- reset_network on five devices does not fix the home's router. NULL once decided or linked.
ALTER TABLE alarms ADD COLUMN home_hold_until timestamptz;
CREATE INDEX alarms_home_hold ON alarms (home_hold_until) WHERE home_hold_until IS NOT NULL;
