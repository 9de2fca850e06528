-- Customer-reported cases (docs/tickets.md): a ticket opened by staff for a customer's report,
-- with no alarm behind it. The intake channel is a new column: `channel` already says how the
-- repair is done (remote or on_site).
ALTER TABLE tickets ADD COLUMN source text NOT NULL DEFAULT 'detected'
    CHECK (source IN ('detected', 'reported'));
ALTER TABLE tickets ADD COLUMN intake_channel text CHECK (intake_channel IN ('phone', 'web', 'app',
    'messaging', 'service_point', 'installer'));
ALTER TABLE tickets ADD COLUMN service_type text CHECK (service_type IN ('repair', 'installation',
    'maintenance', 'return_or_exchange', 'consultation'));
ALTER TABLE tickets ADD COLUMN symptom text CHECK (length(symptom) <= 2000);

-- A reported case may name no device, and has no rule or category until someone diagnoses it.
ALTER TABLE tickets ALTER COLUMN device_id DROP NOT NULL;
ALTER TABLE tickets ALTER COLUMN rule_id DROP NOT NULL;
ALTER TABLE tickets ALTER COLUMN category DROP NOT NULL;
ALTER TABLE tickets ADD CONSTRAINT tickets_source_fields CHECK (
    (source = 'detected' AND device_id IS NOT NULL AND rule_id IS NOT NULL
        AND category IS NOT NULL)
    OR (source = 'reported' AND intake_channel IS NOT NULL AND service_type IS NOT NULL
        AND symptom IS NOT NULL));
