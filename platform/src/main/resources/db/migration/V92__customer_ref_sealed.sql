-- Customer references are personal data (docs/privacy.md): the platform now keeps
-- devices.customer_ref sealed (AES-256-GCM under a data key kept outside the database, text of the
-- form 'sv1:<key id>:<base64>'), and the fleet list's customer filter matches this keyed blind
-- index (HMAC-SHA256) instead. Existing rows cannot be sealed here, since the database never sees
-- the key: the platform seals them at start-up (DeviceFieldSealing), idempotently.
ALTER TABLE devices ADD COLUMN customer_ref_index text;

CREATE INDEX devices_customer_ref_index ON devices (customer_ref_index)
    WHERE customer_ref_index IS NOT NULL;
