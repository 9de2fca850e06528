package io.aftercare.bridge;

/**
 * What a customer's report became: a new case, or a line on the case already being worked for the
 * same fault (docs/tickets.md, "Customer-reported cases").
 *
 * @param joined the report joined an existing case instead of opening one
 */
public record ReportIntake(TicketDetail ticket, boolean joined) {}
