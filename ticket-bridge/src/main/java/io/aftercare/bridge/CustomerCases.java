package io.aftercare.bridge;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The customer-facing side of a case, reached with the customer's link token instead of a staff
 * token (docs/customer-api.md): read the case, decide a quote, accept the repair, rate the service.
 * Every call verifies the token in the transaction it works in, so a link revoked a moment ago
 * opens nothing. Blocking calls for worker threads.
 */
public final class CustomerCases {

  /** The actor of everything the customer does through their link. */
  static final String CUSTOMER = "customer";

  private static final Set<String> DECISIONS = Set.of("accept", "reject");

  private final Tx tx;
  private final Clock clock;
  private final CustomerLinks links;

  CustomerCases(Tx tx, Clock clock, CustomerLinks links) {
    this.tx = tx;
    this.clock = clock;
    this.links = links;
  }

  /** The case a link token opens: its device, and whether work on it is still going on. */
  public record LinkedCase(
      long caseId, String linkId, Instant linkExpiresAt, String deviceId, boolean open) {}

  /**
   * The case {@code token} opens, checked in the caller's transaction like every call of the
   * customer's: for the platform's owner-side routes (support sessions, docs/customer-api.md).
   *
   * @throws BridgeException {@code UNAUTHENTICATED} for any token that opens nothing
   */
  public LinkedCase verify(Connection c, String token) throws SQLException {
    CustomerLinks.Verified link = links.verify(c, token, clock.instant());
    // Only the device and the status: nothing sealed is read, so no data key is needed here.
    try (PreparedStatement select =
        c.prepareStatement("SELECT device_id, status FROM tickets WHERE id = ?")) {
      select.setLong(1, link.ticketId());
      try (ResultSet rs = select.executeQuery()) {
        rs.next();
        return new LinkedCase(
            link.ticketId(),
            link.linkId(),
            link.expiresAt(),
            rs.getString("device_id"),
            !TicketStatus.fromWireName(rs.getString("status")).isFinal());
      }
    }
  }

  public CustomerView view(String token) {
    return tx.run(
        c -> {
          Instant now = clock.instant();
          return view(c, links.verify(c, token, now), now);
        });
  }

  /**
   * @param decision accept or reject
   */
  public CustomerView decideQuote(String token, Long quoteId, String decision, String comment) {
    if (quoteId == null) {
      throw invalid("'quoteId' is required");
    }
    if (decision == null || !DECISIONS.contains(decision)) {
      throw invalid("'decision' must be one of " + DECISIONS);
    }
    return tx.run(
        c -> {
          Instant now = clock.instant();
          CustomerLinks.Verified link = links.verify(c, token, now);
          Quotes.decide(
              c, link.ticketId(), quoteId, "accept".equals(decision), comment, CUSTOMER, now);
          return view(c, link, now);
        });
  }

  public CustomerView acceptRepair(String token, Boolean accepted, String comment) {
    return tx.run(
        c -> {
          Instant now = clock.instant();
          CustomerLinks.Verified link = links.verify(c, token, now);
          Acceptances.record(c, link.ticketId(), accepted, comment, CUSTOMER, CUSTOMER, now);
          return view(c, link, now);
        });
  }

  /** The customer's rating, once per case, after the repair. */
  public CustomerView rate(String token, Integer score, String comment, String category) {
    if (category == null) {
      throw invalid("'category' is required: one of " + Ratings.CATEGORIES);
    }
    Ratings.Entry entry = new Ratings.Entry(score, comment, category);
    return tx.run(
        c -> {
          Instant now = clock.instant();
          CustomerLinks.Verified link = links.verify(c, token, now);
          Ticket ticket = TicketStore.load(c, link.ticketId(), true).orElseThrow();
          if (!canRate(c, ticket)) {
            throw new BridgeException(
                BridgeException.Kind.CONFLICT,
                "the service is rated once, after the repair; the case is "
                    + ticket.status().wireName());
          }
          Ratings.record(c, link.ticketId(), entry, CUSTOMER, CUSTOMER, now);
          // The helpdesk hears the customer's own word; staff scores travel with ticket.closed.
          Outbox.append(c, link.ticketId(), Outbox.RATED, now, Map.of("rating", entry));
          return view(c, link, now);
        });
  }

  private static CustomerView view(Connection c, CustomerLinks.Verified link, Instant now)
      throws SQLException {
    Ticket ticket = TicketStore.load(c, link.ticketId(), false).orElseThrow();
    List<Quote> quotes = Quotes.list(c, ticket.id());
    Quote latest = quotes.isEmpty() ? null : quotes.get(quotes.size() - 1);
    boolean quoteWaiting =
        latest != null && "pending".equals(latest.status()) && !ticket.status().isFinal();
    Acceptances.Acceptance acceptance =
        ticket.status() == TicketStatus.RESOLVED || ticket.status() == TicketStatus.CLOSED
            ? Acceptances.latestOfResolution(c, ticket.id())
            : null;
    return new CustomerView(
        ticket.id(),
        ticket.status(),
        CustomerView.inPlainWords(ticket.status(), quoteWaiting, acceptance != null),
        ticket.deviceType(),
        ticket.openedAt(),
        ticket.updatedAt(),
        link.expiresAt(),
        CustomerView.AppointmentView.of(Appointments.ofTicket(c, ticket.id()), now),
        latest == null ? null : CustomerView.QuoteView.of(latest),
        quoteWaiting,
        ticket.status() == TicketStatus.RESOLVED,
        acceptance == null ? null : acceptance.accepted(),
        canRate(c, ticket));
  }

  private static boolean canRate(Connection c, Ticket ticket) throws SQLException {
    return (ticket.status() == TicketStatus.RESOLVED || ticket.status() == TicketStatus.CLOSED)
        && Ratings.latest(c, ticket.id(), CUSTOMER) == null;
  }

  private static BridgeException invalid(String message) {
    return new BridgeException(BridgeException.Kind.INVALID, message);
  }
}
