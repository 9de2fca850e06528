-- The records the service-desk parts keep per case (appointments, part requests and issues,
-- quotes, acceptance, satisfaction, follow-ups) are part of the case: once it is archived they are
-- frozen like its row and timeline (V66). Customer links are access, not record: revoking one
-- stays possible.
CREATE TRIGGER ticket_appointments_archived_frozen
    BEFORE INSERT OR UPDATE OR DELETE ON ticket_appointments
    FOR EACH ROW EXECUTE FUNCTION ticket_rows_of_archived_are_frozen();
CREATE TRIGGER part_requests_archived_frozen BEFORE INSERT OR UPDATE OR DELETE ON part_requests
    FOR EACH ROW EXECUTE FUNCTION ticket_rows_of_archived_are_frozen();
CREATE TRIGGER part_issues_archived_frozen BEFORE INSERT ON part_issues
    FOR EACH ROW EXECUTE FUNCTION ticket_rows_of_archived_are_frozen();
CREATE TRIGGER ticket_quotes_archived_frozen BEFORE INSERT OR UPDATE OR DELETE ON ticket_quotes
    FOR EACH ROW EXECUTE FUNCTION ticket_rows_of_archived_are_frozen();
CREATE TRIGGER ticket_acceptances_archived_frozen
    BEFORE INSERT OR UPDATE OR DELETE ON ticket_acceptances
    FOR EACH ROW EXECUTE FUNCTION ticket_rows_of_archived_are_frozen();
CREATE TRIGGER ticket_satisfaction_archived_frozen
    BEFORE INSERT OR UPDATE OR DELETE ON ticket_satisfaction
    FOR EACH ROW EXECUTE FUNCTION ticket_rows_of_archived_are_frozen();
CREATE TRIGGER ticket_follow_ups_archived_frozen
    BEFORE INSERT OR UPDATE OR DELETE ON ticket_follow_ups
    FOR EACH ROW EXECUTE FUNCTION ticket_rows_of_archived_are_frozen();
