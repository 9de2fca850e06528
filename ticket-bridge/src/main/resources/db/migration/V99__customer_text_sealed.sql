-- What customers and staff wrote about a customer (docs/privacy.md, class customer_text) is now
-- sealed at rest like the customer references (V96): a case's reported symptom, the customer report
-- lines of its timeline (their note, and the symptom in their detail), complaints' text, response,
-- resolution and confirmation comment and their record's notes, follow-up attempts' notes and
-- appointments' address references; and the customer references of incidents' scope. The bridge
-- seals what it writes and opens what it reads; rows written before are sealed at start-up
-- (CaseFieldSealing), which these exceptions to the append-only and archived rules let through.
-- Nothing searched these columns by content: only equality on references, kept by blind indexes.

-- A sealed value is longer than its clear text; the API still refuses text over these lengths.
ALTER TABLE tickets DROP CONSTRAINT tickets_symptom_check;
ALTER TABLE complaints DROP CONSTRAINT complaints_text_check;
ALTER TABLE complaints DROP CONSTRAINT complaints_response_check;
ALTER TABLE complaints DROP CONSTRAINT complaints_resolution_check;
ALTER TABLE complaints DROP CONSTRAINT complaints_confirmation_comment_check;
ALTER TABLE ticket_follow_up_attempts DROP CONSTRAINT ticket_follow_up_attempts_note_check;
ALTER TABLE incident_scope DROP CONSTRAINT incident_scope_ref_check;
ALTER TABLE incident_scope ADD CONSTRAINT incident_scope_device_ref_length
    CHECK (kind = 'customer' OR length(ref) <= 200);

-- Whether a sealed column changed only by being sealed or re-sealed under another key (V98), or not
-- at all.
CREATE FUNCTION sealed_value_unchanged_or_rekeyed(old_value text, new_value text) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$
    SELECT new_value IS NOT DISTINCT FROM old_value
        OR (old_value IS NOT NULL AND sealed_value_rekeyed(old_value, new_value))
$$;

-- An archived case: its reference (with its index) and its symptom may each be sealed or re-sealed,
-- nothing else may change.
CREATE OR REPLACE FUNCTION tickets_archived_are_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.status = 'archived'
            AND (NEW.customer_ref IS DISTINCT FROM OLD.customer_ref
                OR NEW.symptom IS DISTINCT FROM OLD.symptom)
            AND sealed_value_unchanged_or_rekeyed(OLD.customer_ref, NEW.customer_ref)
            AND sealed_value_unchanged_or_rekeyed(OLD.symptom, NEW.symptom)
            AND (NEW.customer_ref IS NOT DISTINCT FROM OLD.customer_ref
                    AND NEW.customer_ref_index IS NOT DISTINCT FROM OLD.customer_ref_index
                OR NEW.customer_ref IS DISTINCT FROM OLD.customer_ref
                    AND NEW.customer_ref_index IS NOT NULL)
            AND to_jsonb(NEW) - 'customer_ref' - 'customer_ref_index' - 'symptom'
                = to_jsonb(OLD) - 'customer_ref' - 'customer_ref_index' - 'symptom' THEN
        RETURN NEW;
    END IF;
    IF OLD.status = 'archived' THEN
        RAISE EXCEPTION 'ticket % is archived and can no longer change', OLD.id
            USING ERRCODE = 'AC409';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;

-- A customer report line: its note and its detail's customerRef and symptom may each be sealed or
-- re-sealed, nothing else may change.
CREATE OR REPLACE FUNCTION ticket_timeline_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.kind = 'customer_report'
            AND (NEW.note IS DISTINCT FROM OLD.note OR NEW.detail IS DISTINCT FROM OLD.detail)
            AND sealed_value_unchanged_or_rekeyed(OLD.note, NEW.note)
            AND sealed_value_unchanged_or_rekeyed(
                OLD.detail->>'customerRef', NEW.detail->>'customerRef')
            AND sealed_value_unchanged_or_rekeyed(OLD.detail->>'symptom', NEW.detail->>'symptom')
            AND NEW.detail - 'customerRef' - 'symptom' = OLD.detail - 'customerRef' - 'symptom'
            AND to_jsonb(NEW) - 'note' - 'detail' = to_jsonb(OLD) - 'note' - 'detail' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'ticket_timeline is append-only';
END;
$$;

-- A complaint's record: a note may be sealed or re-sealed, nothing else may change.
CREATE FUNCTION complaint_entries_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.note IS DISTINCT FROM OLD.note
            AND sealed_value_rekeyed(OLD.note, NEW.note)
            AND to_jsonb(NEW) - 'note' = to_jsonb(OLD) - 'note' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
DROP TRIGGER complaint_entries_append_only ON complaint_entries;
CREATE TRIGGER complaint_entries_append_only BEFORE UPDATE OR DELETE ON complaint_entries
    FOR EACH ROW EXECUTE FUNCTION complaint_entries_are_append_only();

-- An archived case's appointment: its address reference may be sealed or re-sealed, nothing else
-- may change; every other write to an archived case's records is refused as before (V67).
CREATE FUNCTION ticket_appointments_of_archived_are_frozen() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    ticket bigint := CASE WHEN TG_OP = 'DELETE' THEN OLD.ticket_id ELSE NEW.ticket_id END;
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.address_ref IS DISTINCT FROM OLD.address_ref
            AND sealed_value_rekeyed(OLD.address_ref, NEW.address_ref)
            AND to_jsonb(NEW) - 'address_ref' = to_jsonb(OLD) - 'address_ref' THEN
        RETURN NEW;
    END IF;
    IF EXISTS (SELECT 1 FROM tickets WHERE id = ticket AND status = 'archived') THEN
        RAISE EXCEPTION 'ticket % is archived: % on % refused', ticket, TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'AC409';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;
DROP TRIGGER ticket_appointments_archived_frozen ON ticket_appointments;
CREATE TRIGGER ticket_appointments_archived_frozen
    BEFORE INSERT OR UPDATE OR DELETE ON ticket_appointments
    FOR EACH ROW EXECUTE FUNCTION ticket_appointments_of_archived_are_frozen();
