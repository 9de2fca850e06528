-- Dispatch (docs/dispatch.md): the technician profile of a staff account, and the appointments
-- booked with technicians. A technician is keyed by the staff name; the platform checks that the
-- account exists when a profile is written (no foreign key ties the schemas together).
CREATE TABLE technicians (
    name                     text        PRIMARY KEY,
    -- Device types the technician may be dispatched to.
    skills                   text[]      NOT NULL,
    region                   text,
    certification            text,
    certification_expires_on date,
    active                   boolean     NOT NULL,
    updated_at               timestamptz NOT NULL,
    updated_by               text        NOT NULL,
    CONSTRAINT technicians_certification_has_expiry
        CHECK ((certification IS NULL) = (certification_expires_on IS NULL))
);

-- The exclusion constraint below compares the technician (a text) with `=` inside a GiST index:
-- btree_gist supplies that operator class. It is a trusted extension (PostgreSQL 13+), so the
-- platform's own database user may create it.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE ticket_appointments (
    id           bigserial   PRIMARY KEY,
    ticket_id    bigint      NOT NULL REFERENCES tickets (id),
    technician   text        NOT NULL REFERENCES technicians (name),
    starts_at    timestamptz NOT NULL,
    ends_at      timestamptz NOT NULL,
    -- A reference into the customer system's addresses, never the address itself; null for a
    -- remote session.
    address_ref  text,
    status       text        NOT NULL CHECK (status IN ('confirmed', 'cancelled')),
    created_at   timestamptz NOT NULL,
    created_by   text        NOT NULL,
    cancelled_at timestamptz,
    CONSTRAINT ticket_appointments_window CHECK (ends_at > starts_at),
    -- No technician is booked twice at once: confirmed windows of the same technician must not
    -- overlap. Windows are half-open [starts_at, ends_at), so back-to-back visits are allowed.
    CONSTRAINT ticket_appointments_no_clash EXCLUDE USING gist (
        technician WITH =, tstzrange(starts_at, ends_at) WITH &&) WHERE (status = 'confirmed')
);
CREATE INDEX ticket_appointments_ticket ON ticket_appointments (ticket_id, id);

INSERT INTO ticket_timeline_kinds (kind) VALUES ('appointment_set') ON CONFLICT (kind) DO NOTHING;
INSERT INTO ticket_timeline_kinds (kind) VALUES ('appointment_cancelled')
    ON CONFLICT (kind) DO NOTHING;
