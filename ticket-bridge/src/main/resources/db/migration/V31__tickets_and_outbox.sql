-- Service tickets, their append-only timeline, the delivery outbox and inbound replay protection.

CREATE TABLE tickets (
    id                   bigserial   PRIMARY KEY,
    device_id            text        NOT NULL,
    rule_id              text        NOT NULL,
    category             text        NOT NULL,
    severity             text        NOT NULL,
    priority             text        NOT NULL CHECK (priority IN ('P1', 'P2', 'P3', 'P4')),
    status               text        NOT NULL CHECK (status IN ('open', 'acknowledged', 'dispatched',
                             'in_progress', 'awaiting_parts', 'resolved', 'closed', 'cancelled')),
    device_type          text        NOT NULL,
    -- A reference into the customer system, never personal data.
    customer_ref         text,
    customer_tier        text        NOT NULL,
    -- Support line working the case: 1 first, 2 second, 3 third.
    tier                 int         NOT NULL DEFAULT 1 CHECK (tier BETWEEN 1 AND 3),
    -- First-contact owner: who acknowledged it; stays the owner through escalation.
    owner                text,
    assignee             text,
    channel              text        CHECK (channel IN ('remote', 'on_site')),
    satisfaction         int         CHECK (satisfaction BETWEEN 1 AND 5),
    reason               text        NOT NULL,
    evidence             jsonb       NOT NULL,
    external_ref         text,
    opened_at            timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    response_warned_at   timestamptz,
    response_breached_at timestamptz,
    repair_warned_at     timestamptz,
    repair_breached_at   timestamptz
);
-- At most one live ticket per (device, rule): later requests attach to it as evidence.
CREATE UNIQUE INDEX tickets_one_live_per_fault ON tickets (device_id, rule_id)
    WHERE status NOT IN ('closed', 'cancelled');
CREATE INDEX tickets_status ON tickets (status);
CREATE INDEX tickets_opened_at ON tickets (opened_at);

CREATE TABLE ticket_timeline (
    id          bigserial   PRIMARY KEY,
    ticket_id   bigint      NOT NULL REFERENCES tickets (id),
    at          timestamptz NOT NULL,
    actor       text        NOT NULL,
    kind        text        NOT NULL CHECK (kind IN ('transition', 'evidence', 'sla_warning',
                    'sla_breach', 'escalation', 'alarm_cleared')),
    from_status text,
    to_status   text,
    note        text,
    detail      jsonb
);
CREATE INDEX ticket_timeline_ticket ON ticket_timeline (ticket_id, id);

CREATE FUNCTION ticket_timeline_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ticket_timeline is append-only';
END;
$$;
CREATE TRIGGER ticket_timeline_append_only BEFORE UPDATE OR DELETE ON ticket_timeline
    FOR EACH ROW EXECUTE FUNCTION ticket_timeline_is_append_only();

-- One row per ticket change, written in the change's transaction; delivered in id order per ticket.
CREATE TABLE ticket_outbox (
    id              bigserial   PRIMARY KEY,
    event_id        text        NOT NULL UNIQUE,
    ticket_id       bigint      NOT NULL REFERENCES tickets (id),
    type            text        NOT NULL,
    payload         jsonb       NOT NULL,
    created_at      timestamptz NOT NULL,
    status          text        NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'delivered', 'dead')),
    attempts        int         NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    -- Start of the retry horizon: when written, or when last re-driven.
    retry_since     timestamptz NOT NULL,
    last_error      text,
    delivered_at    timestamptz,
    dead_at         timestamptz
);
CREATE INDEX ticket_outbox_pending ON ticket_outbox (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX ticket_outbox_ticket ON ticket_outbox (ticket_id, id);

-- A helpdesk endpoint that answered 410 Gone stays disabled until staff re-drive an event.
CREATE TABLE helpdesk_endpoints (
    connector   text        PRIMARY KEY,
    disabled_at timestamptz,
    reason      text
);

-- webhook-ids already accepted from the helpdesk: a reused id is a replay.
CREATE TABLE inbound_webhook_ids (
    webhook_id  text        PRIMARY KEY,
    received_at timestamptz NOT NULL
);
