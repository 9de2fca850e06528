package io.aftercare.bridge;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * What staff do on the customer's side of a case, as blocking calls for worker threads: send a
 * quote, issue and revoke the customer's link, record the customer's acceptance and the follow-up
 * attempts (docs/tickets.md, "Quotes" and "Acceptance and follow-up"). Authorization is the
 * caller's job; {@code alsoCommit} runs in the same transaction (e.g. the audit entry).
 */
public final class CustomerCare {

  private final Tx tx;
  private final Clock clock;
  private final CustomerLinks links;
  private final BridgeConfig.CustomerCare config;

  CustomerCare(Tx tx, Clock clock, CustomerLinks links, BridgeConfig.CustomerCare config) {
    this.tx = tx;
    this.clock = clock;
    this.links = links;
    this.config = config;
  }

  public Quote sendQuote(
      long ticketId, QuoteRequest request, String actor, InTransaction alsoCommit) {
    return tx.run(
        c -> {
          Quote quote = Quotes.send(c, ticketId, request, actor, clock.instant());
          alsoCommit.run(c);
          return quote;
        });
  }

  /**
   * @param validFor how long the link is valid; null for {@code tickets.customerCare.linkValidFor}
   */
  public CustomerLinks.Issued issueLink(
      long ticketId, Duration validFor, String actor, InTransaction alsoCommit) {
    Duration period = validFor == null ? config.linkValidFor() : validFor;
    if (period.isNegative() || period.isZero() || period.compareTo(config.linkMaxValidFor()) > 0) {
      throw new BridgeException(
          BridgeException.Kind.INVALID,
          "'validFor' must be positive and at most " + config.linkMaxValidFor());
    }
    return tx.run(
        c -> {
          CustomerLinks.Issued issued = links.issue(c, ticketId, period, actor, clock.instant());
          alsoCommit.run(c);
          return issued;
        });
  }

  public void revokeLink(long ticketId, String linkId, String actor, InTransaction alsoCommit) {
    tx.run(
        c -> {
          links.revoke(c, ticketId, linkId, actor, clock.instant());
          alsoCommit.run(c);
          return null;
        });
  }

  /** The customer's answer as staff heard it (e.g. on the follow-up call): source {@code staff}. */
  public Acceptances.Acceptance recordAcceptance(
      long ticketId, Boolean accepted, String comment, String actor, InTransaction alsoCommit) {
    return tx.run(
        c -> {
          Instant now = clock.instant();
          Acceptances.Acceptance recorded =
              Acceptances.record(c, ticketId, accepted, comment, "staff", actor, now);
          alsoCommit.run(c);
          return recorded;
        });
  }

  /**
   * @param outcome reached or unreachable
   */
  public FollowUps.FollowUp recordAttempt(
      long ticketId, String outcome, String note, String actor, InTransaction alsoCommit) {
    return tx.run(
        c -> {
          FollowUps.FollowUp followUp =
              FollowUps.attempt(c, ticketId, outcome, note, actor, clock.instant());
          alsoCommit.run(c);
          return followUp;
        });
  }
}
