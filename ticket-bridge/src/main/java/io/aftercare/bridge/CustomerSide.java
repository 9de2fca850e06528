package io.aftercare.bridge;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The customer's side of a ticket as staff see it: the quotes, the acceptance of the latest
 * resolution, the follow-up and the latest satisfaction rating of each source (docs/tickets.md,
 * "Quotes" and "Acceptance and follow-up").
 */
public record CustomerSide(
    List<Quote> quotes,
    Acceptances.Acceptance acceptance,
    FollowUps.FollowUp followUp,
    Ratings.BySource satisfactionBySource) {

  static CustomerSide load(Connection c, long ticketId) throws SQLException {
    return new CustomerSide(
        Quotes.list(c, ticketId),
        Acceptances.latestOfResolution(c, ticketId),
        FollowUps.current(c, ticketId),
        Ratings.latest(c, ticketId));
  }
}
