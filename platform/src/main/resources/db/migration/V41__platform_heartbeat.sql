-- When the platform last listened to its devices, renewed by the diagnostics runner on every tick
-- and once more when it stops. After a restart, the time from there to the start was an outage of
-- the platform, not of the devices, and is not counted as their silence
-- (gateway/device/PlatformHeartbeat.java). One row.
CREATE TABLE platform_heartbeat (
    id          boolean     PRIMARY KEY DEFAULT true CHECK (id),
    listened_at timestamptz NOT NULL
);
