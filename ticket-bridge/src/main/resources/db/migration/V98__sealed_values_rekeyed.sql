-- Data key rotation (docs/privacy.md): after a new data key is configured with the old one kept as
-- the previous key, the platform re-seals in the background every value still sealed under the old
-- key. Archived cases (V66, V96) and the append-only timeline (V31, V97) let a sealed reference
-- change only from clear text to the sealed form; they now also let it change from one key's
-- sealed form to another key's. The database never sees the keys and cannot check that the new
-- value holds the same reference; what it does check: every other column stays as it was, the new
-- value is sealed, and its key id differs from the old one's, so a value can only be rewritten
-- under a key it was not sealed under before (once per rotation).
CREATE FUNCTION sealed_value_rekeyed(old_value text, new_value text) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$
    SELECT new_value LIKE 'sv1:%'
        AND (old_value NOT LIKE 'sv1:%'
            OR split_part(old_value, ':', 2) <> split_part(new_value, ':', 2))
$$;

CREATE OR REPLACE FUNCTION tickets_archived_are_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.status = 'archived'
            AND OLD.customer_ref IS NOT NULL
            AND sealed_value_rekeyed(OLD.customer_ref, NEW.customer_ref)
            AND NEW.customer_ref_index IS NOT NULL
            AND to_jsonb(NEW) - 'customer_ref' - 'customer_ref_index'
                = to_jsonb(OLD) - 'customer_ref' - 'customer_ref_index' THEN
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

CREATE OR REPLACE FUNCTION ticket_timeline_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.kind = 'customer_report'
            AND sealed_value_rekeyed(OLD.detail->>'customerRef', NEW.detail->>'customerRef')
            AND NEW.detail - 'customerRef' = OLD.detail - 'customerRef'
            AND to_jsonb(NEW) - 'detail' = to_jsonb(OLD) - 'detail' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'ticket_timeline is append-only';
END;
$$;

-- The helpdesk events in the outbox carry the clear customer reference the helpdesk receives: the
-- bridge now stores each payload sealed, as a jsonb string holding the sealed JSON, and opens it
-- only to deliver it (Outbox, DeliveryWorker). Events written before are sealed at start-up.
