-- The KPIs count the alarms fixed remotely without a ticket per day (RemoteFixesWithoutTicket):
-- a range of this partial index, read without the table (id for the anti-join with
-- ticket_alarms), instead of a sequential scan of every alarm.
CREATE INDEX alarms_fixed_remotely_without_ticket ON alarms (raised_at) INCLUDE (id)
    WHERE resolution = 'fixed_remotely' AND ticket_requested_at IS NULL;
