package io.aftercare.bridge;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Status changes from the helpdesk ({@code POST /api/v1/bridge/inbound}), signed the same way as
 * outbound events. Rejected: a bad or missing signature, a timestamp further than the tolerance
 * from now, and a {@code webhook-id} seen before (a replay). A valid call becomes a ticket
 * transition by the actor {@code helpdesk:<agent>}; the webhook-id is consumed in the same
 * transaction, so a call that fails can be sent again with the same id.
 */
public final class InboundWebhooks {

  /** The body the helpdesk sends. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record HelpdeskChange(
      Long ticketId,
      String to,
      String note,
      String agent,
      String assignee,
      String channel,
      Integer satisfaction) {}

  private final Tx tx;
  private final Clock clock;
  private final WebhookSignature signature;
  private final Duration tolerance;

  InboundWebhooks(Tx tx, Clock clock, WebhookSignature signature, Duration tolerance) {
    this.tx = tx;
    this.clock = clock;
    this.signature = signature;
    this.tolerance = tolerance;
  }

  /**
   * @param headers request headers with lower-case names
   */
  public Ticket verifyAndApply(Map<String, String> headers, byte[] body) {
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
    TransitionRequest request =
        new TransitionRequest(
            change.to(), change.note(), change.assignee(), change.channel(), change.satisfaction());
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
          return TicketTransitions.apply(c, change.ticketId(), request, actor, now);
        });
  }

  private static HelpdeskChange parse(byte[] body) {
    try {
      JsonNode tree = BridgeJson.MAPPER.readTree(body);
      HelpdeskChange change = BridgeJson.MAPPER.treeToValue(tree, HelpdeskChange.class);
      if (change == null || change.ticketId() == null || change.to() == null) {
        throw new BridgeException(BridgeException.Kind.INVALID, "'ticketId' and 'to' are required");
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
