-- The device's model and firmware at the moment an alarm was raised (a device's firmware changes
-- over time): the fleet health trend (GET /api/v1/fleet/health-series) attributes each alarm to
-- what the device ran then. Alarms raised before this migration keep null: no record says what
-- their device ran, and today's value would be a guess.
ALTER TABLE alarms ADD COLUMN model text;
ALTER TABLE alarms ADD COLUMN firmware text;
-- The trend reads the alarms raised in a range of days, across devices.
CREATE INDEX alarms_raised_at ON alarms (raised_at);
