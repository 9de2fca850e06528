-- Notifications to staff (docs/notifications.md): alarm and ticket events matched by the
-- configured rules, queued here before they are sent, so that a restart loses none and sends none
-- twice.

-- How far each event source (alarm_events, ticket_outbox) has been read. The scan starts a little
-- below it (rows of transactions that committed late get lower ids than rows already read), and
-- notification_sources keeps that overlap from being notified twice.
CREATE TABLE notification_cursors (
    source      text    PRIMARY KEY CHECK (source IN ('alarm_events', 'ticket_outbox')),
    last_id     bigint  NOT NULL
);

CREATE TABLE notification_sources (
    source      text    NOT NULL,
    source_id   bigint  NOT NULL,
    PRIMARY KEY (source, source_id)
);

CREATE TABLE notifications (
    id          bigserial   PRIMARY KEY,
    rule        text        NOT NULL,
    channel     text        NOT NULL CHECK (channel IN ('slack', 'email')),
    -- Where it goes: 'webhook' for Slack, the comma-separated recipients for e-mail.
    target      text        NOT NULL,
    -- The event (alarm.raised, alarm.escalated, ticket.opened, ...) or 'digest'.
    kind        text        NOT NULL,
    -- What it is about: alarm/<id>, ticket/<id>; the digest's own id for a digest.
    subject     text        NOT NULL,
    severity    text,
    title       text        NOT NULL,
    body        text        NOT NULL,
    created_at  timestamptz NOT NULL,
    -- pending: waits to be sent; sent; deduplicated: the same rule, subject and kind was notified
    -- within the window; digested: sent inside the digest digest_id; failed: refused for good.
    status      text        NOT NULL CHECK (status IN ('pending', 'sent', 'deduplicated',
                    'digested', 'failed')),
    attempts    int         NOT NULL DEFAULT 0,
    sent_at     timestamptz,
    last_error  text,
    digest_id   bigint      REFERENCES notifications (id)
);
CREATE INDEX notifications_pending ON notifications (channel, target, id) WHERE status = 'pending';
CREATE INDEX notifications_dedupe ON notifications (rule, channel, subject, kind, created_at);
CREATE INDEX notifications_sent ON notifications (channel, sent_at) WHERE status = 'sent';
