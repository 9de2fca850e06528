package io.aftercare.bridge;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Status changes and quote decisions from the helpdesk ({@code POST /api/v1/bridge/inbound}),
 * signed the same way as outbound events. Rejected: a bad or missing signature, a timestamp further
 * than the tolerance from now, and a {@code webhook-id} seen before (a replay). A valid call
 * becomes a ticket transition, or with {@code quoteDecision} instead of {@code to} the customer's
 * decision on a quote as the helpdesk took it, by the actor {@code helpdesk:<agent>}; the
 * webhook-id is consumed in the same transaction, so a call that fails can be sent again with the
 * same id. What a call changed is handed to the caller's {@link Applied} in that transaction too
 * (the platform audits it), so no helpdesk change is committed without its record.
 */
public final class InboundWebhooks {

  /** The body the helpdesk sends: either {@code to} (a transition) or {@code quoteDecision}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record HelpdeskChange(
      Long ticketId,
      String to,
      String note,
      String agent,
      String assignee,
      String channel,
      Integer satisfaction,
      QuoteDecision quoteDecision) {}

  /**
   * The customer's decision on a quote, taken by the helpdesk.
   *
   * @param decision accept or reject
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record QuoteDecision(Long quoteId, String decision, String comment) {}

  /**
   * A helpdesk change just applied, in the transaction that applies it.
   *
   * @param webhookId the call's {@code webhook-id}
   * @param actor {@code helpdesk:<agent>}
   * @param before the ticket's status before the change
   * @param after the ticket after it
   */
  public record AppliedChange(
      String webhookId, String actor, HelpdeskChange change, TicketStatus before, Ticket after) {}

  /** Work committed with each applied helpdesk change. */
  @FunctionalInterface
  public interface Applied {
    void run(Connection connection, AppliedChange applied) throws SQLException;
  }

  private final Tx tx;
  private final Clock clock;
  private final WebhookSignature signature;
  private final Duration tolerance;
  private final BridgeConfig.CustomerCare care;

  InboundWebhooks(
      Tx tx,
      Clock clock,
      WebhookSignature signature,
      Duration tolerance,
      BridgeConfig.CustomerCare care) {
    this.tx = tx;
    this.clock = clock;
    this.signature = signature;
    this.tolerance = tolerance;
    this.care = care;
  }

  /**
   * @param headers request headers with lower-case names
   * @param alsoCommit runs in the transaction of the change, after it
   */
  public Ticket verifyAndApply(Map<String, String> headers, byte[] body, Applied alsoCommit) {
    String id = headers.get("webhook-id");
    String timestampText = headers.get("webhook-timestamp");
    if (signature == null) {
      throw unauthenticated("inbound calls are not configured (no webhook secret)");
    }
    if (id == null || id.isBlank() || timestampText == null) {
      throw unauthenticated("webhook-id, webhook-timestamp and webhook-signature are required");
    }
    long timestamp;
    try {
      timestamp = Long.parseLong(timestampText.trim());
    } catch (NumberFormatException e) {
      throw unauthenticated("webhook-timestamp must be unix seconds");
    }
    Instant now = clock.instant();
    if (Math.abs(now.getEpochSecond() - timestamp) > tolerance.toSeconds()) {
      throw unauthenticated("webhook-timestamp is outside the tolerance of " + tolerance);
    }
    if (!signature.verify(id, timestamp, body, headers.get("webhook-signature"))) {
      throw unauthenticated("webhook-signature does not match");
    }
    HelpdeskChange change = parse(body);
    String actor = "helpdesk:" + (change.agent() == null ? "unknown" : change.agent());
    return tx.run(
        c -> {
          try (PreparedStatement consume =
              c.prepareStatement(
                  "INSERT INTO inbound_webhook_ids (webhook_id, received_at) VALUES (?, ?)"
                      + " ON CONFLICT DO NOTHING")) {
            consume.setString(1, id);
            consume.setTimestamp(2, Timestamp.from(now));
            if (consume.executeUpdate() == 0) {
              throw new BridgeException(
                  BridgeException.Kind.CONFLICT, "webhook-id " + id + " was already used");
            }
          }
          TicketStatus before =
              change.ticketId() == null
                  ? null
                  : TicketStore.load(c, change.ticketId(), false).map(Ticket::status).orElse(null);
          Ticket after = apply(c, change, actor, now);
          alsoCommit.run(c, new AppliedChange(id, actor, change, before, after));
          return after;
        });
  }

  private Ticket apply(Connection c, HelpdeskChange change, String actor, Instant now)
      throws SQLException {
    QuoteDecision decision = change.quoteDecision();
    if (decision == null) {
      TransitionRequest request =
          new TransitionRequest(
              change.to(),
              change.note(),
              change.assignee(),
              change.channel(),
              change.satisfaction());
      return TicketTransitions.apply(c, change.ticketId(), request, actor, now, care);
    }
    if (decision.quoteId() == null
        || !("accept".equals(decision.decision()) || "reject".equals(decision.decision()))) {
      throw new BridgeException(
          BridgeException.Kind.INVALID,
          "'quoteDecision' needs 'quoteId' and 'decision': accept or reject");
    }
    Quotes.decide(
        c,
        change.ticketId(),
        decision.quoteId(),
        "accept".equals(decision.decision()),
        decision.comment(),
        actor,
        now);
    return TicketStore.load(c, change.ticketId(), false).orElseThrow();
  }

  private static HelpdeskChange parse(byte[] body) {
    try {
      JsonNode tree = BridgeJson.MAPPER.readTree(body);
      HelpdeskChange change = BridgeJson.MAPPER.treeToValue(tree, HelpdeskChange.class);
      if (change == null
          || change.ticketId() == null
          || (change.to() == null) == (change.quoteDecision() == null)) {
        throw new BridgeException(
            BridgeException.Kind.INVALID,
            "'ticketId' and one of 'to' or 'quoteDecision' are required");
      }
      return change;
    } catch (IOException e) {
      throw new BridgeException(BridgeException.Kind.INVALID, "invalid JSON body");
    }
  }

  private static BridgeException unauthenticated(String message) {
    return new BridgeException(BridgeException.Kind.UNAUTHENTICATED, message);
  }
}
