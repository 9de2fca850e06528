-- Live updates for the console (docs/console.md): committed changes to alarms, tickets and
-- commands are announced on the channel aftercare_live, which every platform process LISTENs to
-- and fans out to its Server-Sent Event streams. NOTIFY is delivered at commit and only then, so
-- a stream never shows a change that was rolled back; payloads carry ids and states only (the
-- limit is 8000 bytes). Staff and session changes are announced too, so that every process
-- closes the streams of an account that was disabled or changed role, or of an ended session.
-- (The tickets table belongs to the ticket bridge; the trigger is the platform's, and the bridge
-- needs to know nothing of it.)

CREATE FUNCTION live_notify_alarm() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- A repeat of an open alarm only moves its counters: not a change anyone watches for.
    IF TG_OP = 'UPDATE'
       AND (to_jsonb(OLD) - ARRAY['last_seen_at', 'count', 'last_value', 'peak_value'])
           = (to_jsonb(NEW) - ARRAY['last_seen_at', 'count', 'last_value', 'peak_value']) THEN
        RETURN NULL;
    END IF;
    PERFORM pg_notify('aftercare_live', json_build_object(
        'kind', 'alarm', 'alarmId', NEW.id, 'deviceId', NEW.device_id,
        'status', NEW.status, 'remediationState', NEW.remediation_state)::text);
    RETURN NULL;
END;
$$;
CREATE TRIGGER live_notify_alarm AFTER INSERT OR UPDATE ON alarms
    FOR EACH ROW EXECUTE FUNCTION live_notify_alarm();

CREATE FUNCTION live_notify_ticket() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('aftercare_live', json_build_object(
        'kind', 'ticket', 'ticketId', NEW.id, 'deviceId', NEW.device_id,
        'status', NEW.status)::text);
    RETURN NULL;
END;
$$;
CREATE TRIGGER live_notify_ticket AFTER INSERT OR UPDATE ON tickets
    FOR EACH ROW EXECUTE FUNCTION live_notify_ticket();

CREATE FUNCTION live_notify_command() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('aftercare_live', json_build_object(
        'kind', 'command', 'commandId', NEW.id, 'deviceId', NEW.device_id,
        'status', NEW.status)::text);
    RETURN NULL;
END;
$$;
CREATE TRIGGER live_notify_command_insert AFTER INSERT ON commands
    FOR EACH ROW EXECUTE FUNCTION live_notify_command();
CREATE TRIGGER live_notify_command_status AFTER UPDATE OF status ON commands
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION live_notify_command();

CREATE FUNCTION live_notify_staff() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('aftercare_live', json_build_object('kind', 'staff', 'name', NEW.name)::text);
    RETURN NULL;
END;
$$;
CREATE TRIGGER live_notify_staff AFTER UPDATE OF role, disabled_at, revoked_at ON staff
    FOR EACH ROW
    WHEN (OLD.role IS DISTINCT FROM NEW.role
          OR OLD.disabled_at IS DISTINCT FROM NEW.disabled_at
          OR OLD.revoked_at IS DISTINCT FROM NEW.revoked_at)
    EXECUTE FUNCTION live_notify_staff();

CREATE FUNCTION live_notify_session_ended() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('aftercare_live',
        json_build_object('kind', 'session_ended', 'session', NEW.id)::text);
    RETURN NULL;
END;
$$;
CREATE TRIGGER live_notify_session_ended AFTER UPDATE OF ended_at ON staff_sessions
    FOR EACH ROW WHEN (OLD.ended_at IS NULL AND NEW.ended_at IS NOT NULL)
    EXECUTE FUNCTION live_notify_session_ended();
