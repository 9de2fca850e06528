-- Log bundles (docs/privacy.md, "Log bundles"): the log a device returns for collect_logs is kept
-- redacted (SSIDs, e-mail and IP addresses, MAC addresses, names) for staff, and its original only
-- sealed (sv1:, like V92-V99) for a supervisor's audited request with a reason. The command's
-- stored output keeps the bundle's id instead of the log.

CREATE TABLE log_bundles (
    id              bigserial   PRIMARY KEY,
    device_id       text        NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    command_id      text        NOT NULL UNIQUE REFERENCES commands (id) ON DELETE CASCADE,
    collected_at    timestamptz NOT NULL,
    line_count      int         NOT NULL,
    redacted        text        NOT NULL,
    -- How many values of each kind were replaced, e.g. {"email": 1, "ipv4": 2}.
    redactions      jsonb       NOT NULL,
    original_sealed text        NOT NULL CHECK (original_sealed LIKE 'sv1:%')
);
CREATE INDEX log_bundles_device ON log_bundles (device_id, id DESC);
