-- What each ticket contributes to the KPIs, kept so that the KPI report and series read one narrow
-- row per case instead of rebuilding every case's SLA clocks from its timeline on each request
-- (KeptOutcomes; docs/tickets.md, "How the outcomes are kept").
--
-- The row holds what the bridge computes from the ticket and its timeline (the clocks' verdicts
-- and counted times, cancelled, resolved, first-time fix, remote, handled within 3 working days),
-- its feedback (a complaint linked, the latest rating of each source), the breakdown keys, and the
-- ticket's columns the one live part needs: whether its fault follows an earlier fix on another
-- ticket, read with each request. An outcome that depends on the time of asking (a clock still
-- running, a case neither resolved nor cancelled) holds only until `valid_until`, the earliest
-- instant at which a running clock could pass its target or the handling deadline passes; `basis`
-- is a fingerprint of the SLA targets and business calendar it was computed under. A reader uses a
-- row only when it is computed, not stale, of the current basis and holds at its time of asking,
-- and recomputes any other.
--
-- The triggers below mark a row stale in the transaction that changes its ticket, its timeline, or
-- a complaint or rating of it; the bridge recomputes stale rows before that transaction commits
-- (Tx), as it does the SLA deadlines.
CREATE TABLE ticket_kpi_outcomes (
    ticket_id           bigint PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
    opened_at           timestamptz NOT NULL,
    stale               boolean NOT NULL DEFAULT true,
    basis               bigint,
    valid_from          timestamptz,
    valid_until         timestamptz,
    device_id           text,
    category            text,
    reopen_count        integer,
    key_device_type     text,
    key_model           text,
    key_firmware        text,
    key_rule            text,
    key_category        text,
    key_owner           text,
    key_assignee        text,
    cancelled           boolean,
    resolved            boolean,
    first_time_fix      boolean,
    remote              boolean,
    handled             text,
    complained          boolean,
    customer_score      integer,
    staff_score         integer,
    response_verdict    text,
    response_seconds    bigint,
    arrangement_verdict text,
    arrangement_seconds bigint,
    repair_verdict      text,
    repair_seconds      bigint,
    CONSTRAINT ticket_kpi_outcomes_computed CHECK ((basis IS NULL) = (valid_from IS NULL))
);

-- The existing tickets get a row not computed yet (valid_from null): not stale, so that no write
-- transaction takes up recomputing them all; the bridge computes them at start in batches, and a
-- reader computes any it meets before that.
INSERT INTO ticket_kpi_outcomes (ticket_id, opened_at, stale)
    SELECT id, opened_at, false FROM tickets;

CREATE INDEX ticket_kpi_outcomes_opened ON ticket_kpi_outcomes (opened_at);
CREATE INDEX ticket_kpi_outcomes_stale ON ticket_kpi_outcomes (ticket_id) WHERE stale;
CREATE INDEX ticket_kpi_outcomes_not_computed ON ticket_kpi_outcomes (ticket_id)
    WHERE valid_from IS NULL;

CREATE FUNCTION ticket_kpi_outcome_for_new_ticket() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ticket_kpi_outcomes (ticket_id, opened_at) VALUES (NEW.id, NEW.opened_at);
    RETURN NULL;
END;
$$;
CREATE TRIGGER tickets_kpi_outcome_row AFTER INSERT ON tickets
    FOR EACH ROW EXECUTE FUNCTION ticket_kpi_outcome_for_new_ticket();

CREATE FUNCTION ticket_timeline_marks_kpi_outcome_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE ticket_kpi_outcomes SET stale = true WHERE ticket_id = NEW.ticket_id AND NOT stale;
    RETURN NULL;
END;
$$;
CREATE TRIGGER ticket_timeline_kpi_outcome_stale AFTER INSERT ON ticket_timeline
    FOR EACH ROW EXECUTE FUNCTION ticket_timeline_marks_kpi_outcome_stale();

CREATE FUNCTION tickets_mark_kpi_outcome_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE ticket_kpi_outcomes SET stale = true WHERE ticket_id = NEW.id AND NOT stale;
    RETURN NULL;
END;
$$;
-- Every column an outcome, its keys or its live parts are computed from.
CREATE TRIGGER tickets_kpi_outcome_stale AFTER UPDATE ON tickets
    FOR EACH ROW WHEN (
        (OLD.device_id, OLD.rule_id, OLD.category, OLD.priority, OLD.status, OLD.device_type,
         OLD.customer_tier, OLD.owner, OLD.assignee, OLD.channel, OLD.opened_at, OLD.evidence,
         OLD.source, OLD.service_type, OLD.archived_from, OLD.reopen_count)
        IS DISTINCT FROM
        (NEW.device_id, NEW.rule_id, NEW.category, NEW.priority, NEW.status, NEW.device_type,
         NEW.customer_tier, NEW.owner, NEW.assignee, NEW.channel, NEW.opened_at, NEW.evidence,
         NEW.source, NEW.service_type, NEW.archived_from, NEW.reopen_count))
    EXECUTE FUNCTION tickets_mark_kpi_outcome_stale();

-- A complaint linked to a case, or unlinked, and a rating given or corrected change its feedback.
CREATE FUNCTION ticket_feedback_marks_kpi_outcome_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'DELETE' THEN
        UPDATE ticket_kpi_outcomes SET stale = true WHERE ticket_id = NEW.ticket_id AND NOT stale;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        UPDATE ticket_kpi_outcomes SET stale = true WHERE ticket_id = OLD.ticket_id AND NOT stale;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER complaints_kpi_outcome_stale AFTER INSERT OR UPDATE OF ticket_id OR DELETE
    ON complaints FOR EACH ROW EXECUTE FUNCTION ticket_feedback_marks_kpi_outcome_stale();
CREATE TRIGGER ticket_satisfaction_kpi_outcome_stale AFTER INSERT OR UPDATE OR DELETE
    ON ticket_satisfaction FOR EACH ROW EXECUTE FUNCTION ticket_feedback_marks_kpi_outcome_stale();
