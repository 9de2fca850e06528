-- For the bridge's own tests only. The bridge's tables reference no other module's (no foreign
-- keys), but it reads one: the platform's devices, for the facts a new ticket records
-- (DeviceFacts). These are the columns it reads, as the platform's migrations define them
-- (V1__devices_and_staff.sql, V4__device_service_attributes.sql); the platform's end-to-end ticket
-- tests run against the real table.
CREATE TABLE devices (
    id              text        PRIMARY KEY,
    type            text        NOT NULL,
    model           text,
    firmware        text,
    customer_ref    text,
    customer_tier   text        NOT NULL DEFAULT 'standard',
    sold_on         date
);
