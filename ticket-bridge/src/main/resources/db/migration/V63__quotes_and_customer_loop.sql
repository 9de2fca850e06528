-- Quotes, the customer's link, acceptance, follow-up and satisfaction (docs/tickets.md, "Quotes"
-- and "Acceptance and follow-up"; docs/customer-api.md). Every row here is a record of what was
-- offered, decided or said: rows are added, and only a quote's decision and a link's revocation
-- are ever filled in later.

-- A cost estimate for out-of-warranty work. At most one is pending per ticket: a new quote
-- supersedes the pending one. lines = [{partNumber, quantity, unitPrice}], stored as sent.
CREATE TABLE ticket_quotes (
    id                 bigserial     PRIMARY KEY,
    ticket_id          bigint        NOT NULL REFERENCES tickets (id),
    status             text          NOT NULL
        CHECK (status IN ('pending', 'accepted', 'rejected', 'superseded')),
    currency           text          NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    lines              jsonb         NOT NULL,
    labour             numeric(12,2) NOT NULL CHECK (labour >= 0),
    estimated_minutes  int           NOT NULL CHECK (estimated_minutes > 0),
    total              numeric(12,2) NOT NULL CHECK (total >= 0),
    created_at         timestamptz   NOT NULL,
    created_by         text          NOT NULL,
    decided_at         timestamptz,
    decided_by         text,
    decision_comment   text          CHECK (length(decision_comment) <= 2000)
);
CREATE INDEX ticket_quotes_ticket ON ticket_quotes (ticket_id, id);
CREATE UNIQUE INDEX ticket_quotes_one_pending ON ticket_quotes (ticket_id) WHERE status = 'pending';

-- Links staff hand to the customer. The token is signed, never stored: the row says which
-- link ids exist for a ticket and which were revoked.
CREATE TABLE customer_links (
    id          text        PRIMARY KEY,
    ticket_id   bigint      NOT NULL REFERENCES tickets (id),
    issued_at   timestamptz NOT NULL,
    issued_by   text        NOT NULL,
    expires_at  timestamptz NOT NULL,
    revoked_at  timestamptz,
    revoked_by  text
);
CREATE INDEX customer_links_ticket ON customer_links (ticket_id);

-- The customer's acceptance (sign-off) of a repair, said through the link or recorded by staff.
CREATE TABLE ticket_acceptances (
    id         bigserial   PRIMARY KEY,
    ticket_id  bigint      NOT NULL REFERENCES tickets (id),
    accepted   boolean     NOT NULL,
    comment    text        CHECK (length(comment) <= 2000),
    source     text        NOT NULL CHECK (source IN ('customer', 'staff')),
    actor      text        NOT NULL,
    at         timestamptz NOT NULL
);
CREATE INDEX ticket_acceptances_ticket ON ticket_acceptances (ticket_id, id);

-- Satisfaction ratings with who entered them. tickets.satisfaction keeps the staff score given
-- at closing, as before; that score is also recorded here with source 'staff'.
CREATE TABLE ticket_satisfaction (
    id         bigserial   PRIMARY KEY,
    ticket_id  bigint      NOT NULL REFERENCES tickets (id),
    score      int         NOT NULL CHECK (score BETWEEN 1 AND 5),
    comment    text        CHECK (length(comment) <= 2000),
    category   text        CHECK (category IN ('overall', 'response_time', 'repair_quality',
                   'technician', 'communication', 'price')),
    source     text        NOT NULL CHECK (source IN ('customer', 'staff')),
    actor      text        NOT NULL,
    at         timestamptz NOT NULL
);
CREATE INDEX ticket_satisfaction_ticket ON ticket_satisfaction (ticket_id, id);
INSERT INTO ticket_satisfaction (ticket_id, score, source, actor, at)
SELECT id, satisfaction, 'staff', COALESCE(owner, 'unknown'), updated_at FROM tickets
WHERE satisfaction IS NOT NULL;

-- The return visit or call created at each resolution; a reopened and again resolved ticket gets
-- a new one and the earlier one is closed as superseded.
CREATE TABLE ticket_follow_ups (
    id          bigserial   PRIMARY KEY,
    ticket_id   bigint      NOT NULL REFERENCES tickets (id),
    created_at  timestamptz NOT NULL,
    due_at      timestamptz NOT NULL,
    status      text        NOT NULL CHECK (status IN ('open', 'done', 'superseded'))
);
CREATE UNIQUE INDEX ticket_follow_ups_one_open ON ticket_follow_ups (ticket_id)
    WHERE status = 'open';

CREATE TABLE ticket_follow_up_attempts (
    id            bigserial   PRIMARY KEY,
    follow_up_id  bigint      NOT NULL REFERENCES ticket_follow_ups (id),
    outcome       text        NOT NULL CHECK (outcome IN ('reached', 'unreachable')),
    note          text        CHECK (length(note) <= 2000),
    actor         text        NOT NULL,
    at            timestamptz NOT NULL
);
CREATE INDEX ticket_follow_up_attempts_follow_up ON ticket_follow_up_attempts (follow_up_id, id);

INSERT INTO ticket_timeline_kinds (kind) VALUES ('quote_sent') ON CONFLICT (kind) DO NOTHING;
INSERT INTO ticket_timeline_kinds (kind) VALUES ('quote_accepted') ON CONFLICT (kind) DO NOTHING;
INSERT INTO ticket_timeline_kinds (kind) VALUES ('quote_rejected') ON CONFLICT (kind) DO NOTHING;
INSERT INTO ticket_timeline_kinds (kind) VALUES ('customer_link_issued')
    ON CONFLICT (kind) DO NOTHING;
INSERT INTO ticket_timeline_kinds (kind) VALUES ('customer_link_revoked')
    ON CONFLICT (kind) DO NOTHING;
INSERT INTO ticket_timeline_kinds (kind) VALUES ('acceptance') ON CONFLICT (kind) DO NOTHING;
INSERT INTO ticket_timeline_kinds (kind) VALUES ('satisfaction') ON CONFLICT (kind) DO NOTHING;
INSERT INTO ticket_timeline_kinds (kind) VALUES ('follow_up_created')
    ON CONFLICT (kind) DO NOTHING;
INSERT INTO ticket_timeline_kinds (kind) VALUES ('follow_up_attempt')
    ON CONFLICT (kind) DO NOTHING;
