-- The repeat-fault KPI (docs/tickets.md, KPIs) looks, for each ticket in its range, for an earlier
-- ticket of the same device and category resolved within the reopen window before it opened.
CREATE INDEX tickets_device_category_resolved ON tickets (device_id, category, resolved_at)
    WHERE resolved_at IS NOT NULL;
