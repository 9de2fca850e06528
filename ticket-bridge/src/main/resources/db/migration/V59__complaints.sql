-- Complaints (docs/complaints.md): a customer's complaint about a case (ticket_id) or standalone
-- (ticket_id NULL), owned by the staff member who first took it, with a 24 h response clock, an
-- append-only investigation record, a resolution and the customer's confirmation.
CREATE TABLE complaints (
    id                   bigserial   PRIMARY KEY,
    ticket_id            bigint      REFERENCES tickets (id),
    channel              text        NOT NULL CHECK (channel IN ('phone', 'web', 'app',
                             'messaging', 'service_point', 'installer')),
    -- A reference into the customer system, never personal data.
    customer_ref         text        CHECK (length(customer_ref) <= 200),
    text                 text        NOT NULL CHECK (length(text) <= 4000),
    status               text        NOT NULL
        CHECK (status IN ('received', 'responded', 'resolved', 'closed')),
    -- First-contact owner: who took the complaint; stays the owner through escalation.
    owner                text        NOT NULL,
    tier                 int         NOT NULL DEFAULT 1 CHECK (tier BETWEEN 1 AND 3),
    received_at          timestamptz NOT NULL,
    responded_at         timestamptz,
    responded_by         text,
    response             text        CHECK (length(response) <= 4000),
    resolved_at          timestamptz,
    resolved_by          text,
    resolution           text        CHECK (length(resolution) <= 4000),
    confirmed            boolean,
    confirmation_comment text        CHECK (length(confirmation_comment) <= 4000),
    confirmed_by         text,
    confirmed_at         timestamptz,
    updated_at           timestamptz NOT NULL,
    response_warned_at   timestamptz,
    response_breached_at timestamptz
);
CREATE INDEX complaints_ticket ON complaints (ticket_id) WHERE ticket_id IS NOT NULL;
CREATE INDEX complaints_received_at ON complaints (received_at);
CREATE INDEX complaints_status ON complaints (status);

-- The complaint's append-only record: investigation notes, response, resolution, confirmation and
-- clock steps.
CREATE TABLE complaint_entries (
    id           bigserial   PRIMARY KEY,
    complaint_id bigint      NOT NULL REFERENCES complaints (id),
    at           timestamptz NOT NULL,
    actor        text        NOT NULL,
    kind         text        NOT NULL CHECK (kind IN ('received', 'note', 'response', 'resolution',
                     'confirmation', 'sla_warning', 'sla_breach', 'escalation')),
    note         text,
    detail       jsonb
);
CREATE INDEX complaint_entries_complaint ON complaint_entries (complaint_id, id);
CREATE TRIGGER complaint_entries_append_only BEFORE UPDATE OR DELETE ON complaint_entries
    FOR EACH ROW EXECUTE FUNCTION desk_record_is_append_only();

-- The ticket's own timeline shows a complaint about it.
INSERT INTO ticket_timeline_kinds (kind) VALUES ('complaint_filed') ON CONFLICT (kind) DO NOTHING;

-- Complaint events share the outbox with ticket and incident events (V58).
ALTER TABLE ticket_outbox ADD COLUMN complaint_id bigint REFERENCES complaints (id);
ALTER TABLE ticket_outbox DROP CONSTRAINT ticket_outbox_one_subject;
ALTER TABLE ticket_outbox ADD CONSTRAINT ticket_outbox_one_subject
    CHECK (num_nonnulls(ticket_id, incident_id, complaint_id) = 1);
CREATE INDEX ticket_outbox_complaint ON ticket_outbox (complaint_id, id)
    WHERE complaint_id IS NOT NULL;
