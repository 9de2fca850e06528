-- What a rule adds to its alarm beyond the counters, as JSON; today a forecast rule's latest
-- forecast ({"forecast": {...}}, docs/diagnostics.md), refreshed with every update. NULL for
-- alarms of other rules.
ALTER TABLE alarms ADD COLUMN details jsonb;
