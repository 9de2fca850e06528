-- Customer references of cases and complaints are sealed at rest like the devices' (V92,
-- docs/privacy.md): 'sv1:<key id>:<base64>' under a data key the database never sees. The ticket
-- list's customer filter matches this keyed blind index (HMAC-SHA256) instead of the clear column.
-- Existing rows cannot be sealed here: the platform seals them at start-up (CaseFieldSealing).
ALTER TABLE tickets ADD COLUMN customer_ref_index text;
CREATE INDEX tickets_customer_ref_index ON tickets (customer_ref_index)
    WHERE customer_ref_index IS NOT NULL;

-- A sealed reference is longer than its clear text; the API still refuses references over 200
-- characters (ComplaintFiling).
ALTER TABLE complaints DROP CONSTRAINT complaints_customer_ref_check;

-- An archived case never changes (V66), with one exception: the start-up conversion replacing its
-- customer reference, still in clear, by the sealed form and its blind index. Only that change
-- passes: every other column must stay as it was, the old reference must be clear and unindexed,
-- and the new one sealed and indexed, so a sealed reference can never be changed again this way.
CREATE OR REPLACE FUNCTION tickets_archived_are_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.status = 'archived'
            AND OLD.customer_ref IS NOT NULL AND OLD.customer_ref NOT LIKE 'sv1:%'
            AND OLD.customer_ref_index IS NULL
            AND NEW.customer_ref LIKE 'sv1:%' AND NEW.customer_ref_index IS NOT NULL
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
