-- Spare parts (docs/dispatch.md): a technician requests parts for a ticket in progress, which
-- waits in awaiting_parts (the repair clock pauses) until every open request has been issued.
CREATE TABLE part_requests (
    id           bigserial   PRIMARY KEY,
    ticket_id    bigint      NOT NULL REFERENCES tickets (id),
    part_number  text        NOT NULL CHECK (length(part_number) BETWEEN 1 AND 64),
    -- The part's model, when the part number alone does not say it.
    model        text        CHECK (length(model) <= 64),
    quantity     int         NOT NULL CHECK (quantity BETWEEN 1 AND 1000),
    status       text        NOT NULL CHECK (status IN ('open', 'issued')),
    requested_at timestamptz NOT NULL,
    requested_by text        NOT NULL,
    issued_at    timestamptz
);
CREATE INDEX part_requests_ticket ON part_requests (ticket_id, id);

-- The issue log: what left the parts store, for which case, when and by whom. Append-only, like
-- the audit log: the trigger refuses changes to history.
CREATE TABLE part_issues (
    id              bigserial   PRIMARY KEY,
    part_request_id bigint      NOT NULL UNIQUE REFERENCES part_requests (id),
    ticket_id       bigint      NOT NULL REFERENCES tickets (id),
    part_number     text        NOT NULL,
    model           text,
    quantity        int         NOT NULL CHECK (quantity > 0),
    issued_at       timestamptz NOT NULL,
    issued_by       text        NOT NULL
);
CREATE INDEX part_issues_issued_at ON part_issues (issued_at, id);

CREATE FUNCTION part_issues_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'part_issues is append-only';
END;
$$;
CREATE TRIGGER part_issues_append_only BEFORE UPDATE OR DELETE ON part_issues
    FOR EACH ROW EXECUTE FUNCTION part_issues_is_append_only();

INSERT INTO ticket_timeline_kinds (kind) VALUES ('part_requested') ON CONFLICT (kind) DO NOTHING;
INSERT INTO ticket_timeline_kinds (kind) VALUES ('part_issued') ON CONFLICT (kind) DO NOTHING;
