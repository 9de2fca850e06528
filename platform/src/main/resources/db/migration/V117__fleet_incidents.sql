-- Fleet incidents (docs/diagnostics.md, "Root cause across devices: fleet incidents"): when many
-- homes go offline together (a region, an ISP, a cloud dependency, one firmware version), the
-- engine declares one incident at the service desk (incidents, V58) instead of a ticket per
-- device, links the affected devices' absence alarms to it, and resolves it when they are back.
-- The desk's incident stays the record staff work on; this table is what detection needs beside
-- it: whether the outage is still being followed, the trait its devices share (which later
-- devices must share to join it), and running counts so that a joining alarm never recounts.
CREATE TABLE fleet_incidents (
    incident_id   bigint      PRIMARY KEY REFERENCES incidents (id),
    -- open: devices join it and it resolves when they are back; over: recovered, or resolved by
    -- staff (whatever is still linked is then released to its own ticket).
    status        text        NOT NULL CHECK (status IN ('open', 'over')),
    -- What the devices offline at the declaration all share, the most telling first (region,
    -- then firmware version, then model); both null for a fleet-wide outage.
    shared_kind   text        CHECK (shared_kind IN ('region', 'firmware', 'model')),
    shared_value  text,
    declared_at   timestamptz NOT NULL,
    ended_at      timestamptz,
    homes         int         NOT NULL,
    devices       int         NOT NULL,
    customers     int         NOT NULL,
    -- Homes when the timeline last said how far it had grown: it says so again at twice as many,
    -- so a storm of a thousand joining alarms writes a handful of entries, not a thousand.
    reported_homes int        NOT NULL,
    CHECK ((shared_kind IS NULL) = (shared_value IS NULL))
);
-- One open incident per shared trait, even if two nodes declare at once (each also holds the
-- fleet's advisory lock while it judges, so this is the last line).
CREATE UNIQUE INDEX fleet_incidents_one_open
    ON fleet_incidents (COALESCE(shared_kind, ''), COALESCE(shared_value, ''))
    WHERE status = 'open';

-- Which homes, devices and customers (blind indexes, never the sealed values) the incident has
-- counted: a joining alarm adds its own with ON CONFLICT DO NOTHING and bumps the counts by what
-- was new, an indexed write instead of a count over every linked alarm.
CREATE TABLE fleet_incident_members (
    incident_id bigint NOT NULL REFERENCES fleet_incidents (incident_id),
    kind        text   NOT NULL CHECK (kind IN ('home', 'device', 'customer')),
    key         text   NOT NULL,
    PRIMARY KEY (incident_id, kind, key)
);
-- "Is this device already part of an open fleet incident?" when counting a new outage.
CREATE INDEX fleet_incident_members_device ON fleet_incident_members (key) WHERE kind = 'device';

-- The incident that explains a device alarm (and a home alarm): no remedy, no ticket of its own
-- while it is linked.
ALTER TABLE alarms ADD COLUMN incident_id bigint REFERENCES incidents (id);
CREATE INDEX alarms_incident ON alarms (incident_id) WHERE incident_id IS NOT NULL;
ALTER TABLE home_alarms ADD COLUMN incident_id bigint REFERENCES incidents (id);

-- Devices that went offline in a given stretch of time, for the count an absence alarm's raise
-- makes. The columns it names change only when a device connects or disconnects (never with its
-- data, so the telemetry path's updates of last_seen_at stay HOT), and it holds only offline
-- devices.
CREATE INDEX devices_went_offline ON devices (online_changed_at) WHERE NOT online;
