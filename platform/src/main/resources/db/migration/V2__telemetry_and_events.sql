-- Telemetry: one row per (device, metric, instant).
--
-- The primary key is also the deduplication key: a document redelivered after a lost
-- acknowledgement (MQTT DUP, CoAP retransmission, a device resending after reconnect) carries
-- the same device timestamp, so ON CONFLICT DO NOTHING keeps exactly one row. It leads with
-- device_id and metric because every query asks for one device's series over a time range.
-- No foreign key to devices: it would cost a lookup per row on the hot path, and telemetry of a
-- deleted device ages out with retention.
CREATE TABLE telemetry (
    device_id   text             NOT NULL,
    metric      text             NOT NULL,
    ts          timestamptz      NOT NULL,
    value       double precision NOT NULL,
    PRIMARY KEY (device_id, metric, ts)
);
-- Rows arrive in time order, so a BRIN index serves fleet-wide time-range scans at almost no
-- write cost. (With TimescaleDB the table becomes a hypertable partitioned on ts.)
CREATE INDEX telemetry_ts_brin ON telemetry USING brin (ts);

CREATE TABLE device_events (
    id          bigserial   PRIMARY KEY,
    device_id   text        NOT NULL,
    ts          timestamptz NOT NULL,
    received_at timestamptz NOT NULL,
    type        text        NOT NULL,
    code        text        NOT NULL DEFAULT '',
    message     text,
    data        jsonb,
    -- Same idea as telemetry: a redelivered event is the same (device, time, type, code).
    UNIQUE (device_id, ts, type, code)
);

CREATE TABLE device_connectivity (
    id          bigserial   PRIMARY KEY,
    device_id   text        NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    ts          timestamptz NOT NULL,
    online      boolean     NOT NULL,
    protocol    text        NOT NULL,
    reason      text        NOT NULL
);
CREATE INDEX device_connectivity_device_ts ON device_connectivity (device_id, ts);

-- Documents a device sent that broke the contract, kept so staff can see why data is missing
-- (MQTT 3.1.1 has no negative acknowledgement to tell the device).
CREATE TABLE rejected_messages (
    id          bigserial   PRIMARY KEY,
    device_id   text        NOT NULL,
    ts          timestamptz NOT NULL DEFAULT now(),
    channel     text        NOT NULL,
    topic       text        NOT NULL,
    reason      text        NOT NULL
);
CREATE INDEX rejected_messages_device_ts ON rejected_messages (device_id, ts);
