-- A customer's report joining a case already open (V68) records the reference the customer gave
-- in its timeline line's detail: the bridge now seals it there like tickets.customer_ref (V96,
-- docs/privacy.md). The timeline is append-only (V31), with one exception for the start-up
-- conversion (CaseFieldSealing): a customer_report line whose detail changes nothing but its
-- customerRef, from clear text to the sealed form. A sealed reference never changes again.
CREATE OR REPLACE FUNCTION ticket_timeline_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.kind = 'customer_report'
            AND OLD.detail->>'customerRef' NOT LIKE 'sv1:%'
            AND NEW.detail->>'customerRef' LIKE 'sv1:%'
            AND NEW.detail - 'customerRef' = OLD.detail - 'customerRef'
            AND to_jsonb(NEW) - 'detail' = to_jsonb(OLD) - 'detail' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'ticket_timeline is append-only';
END;
$$;
