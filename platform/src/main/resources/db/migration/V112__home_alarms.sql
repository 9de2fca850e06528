-- Home outages (docs/diagnostics.md, "Root cause across devices: homes"): when most devices of one
-- home go offline together, one home alarm explains their device_offline alarms, which are linked
-- to it and open no ticket of their own. A table of its own rather than an alarm row with a home
-- target: an alarm row is a device's (device-affine evaluation, remedies, tickets, the model and
-- firmware trend all key on device_id).
CREATE TABLE home_alarms (
    id              bigserial   PRIMARY KEY,
    -- The home's blind index (devices.home_id_index): the home is personal data, its sealed id is
    -- not copied here; staff reach it through the linked devices.
    home_index      text        NOT NULL,
    status          text        NOT NULL CHECK (status IN ('active', 'cleared')),
    description     text        NOT NULL,
    raised_at       timestamptz NOT NULL,
    cleared_at      timestamptz,
    -- The home's devices in service, and how many had gone offline together, when it was raised.
    devices_total   int         NOT NULL,
    devices_offline int         NOT NULL
);
-- One open home alarm per home, even if two nodes raise it at once.
CREATE UNIQUE INDEX home_alarms_one_open ON home_alarms (home_index) WHERE status <> 'cleared';
CREATE INDEX home_alarms_raised ON home_alarms (raised_at DESC);

-- The home alarm that explains a device alarm: no remedy, no ticket of its own while it is linked.
ALTER TABLE alarms ADD COLUMN home_alarm_id bigint REFERENCES home_alarms (id);
CREATE INDEX alarms_home_alarm ON alarms (home_alarm_id) WHERE home_alarm_id IS NOT NULL;
