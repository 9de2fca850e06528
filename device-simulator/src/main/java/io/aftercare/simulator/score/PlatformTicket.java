package io.aftercare.simulator.score;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Optional;

/**
 * A service ticket as the staff API shows it ({@code GET /api/v1/tickets}), reduced to what scoring
 * needs.
 *
 * @param ruleId the rule whose alarm asked for it; empty for a ticket opened by hand
 */
public record PlatformTicket(
    long id, String deviceId, Optional<String> ruleId, String status, Instant openedAt) {

  static PlatformTicket fromJson(JsonNode ticket) {
    return new PlatformTicket(
        ticket.get("id").asLong(),
        ticket.get("deviceId").asText(),
        PlatformAlarm.optionalText(ticket, "ruleId"),
        ticket.get("status").asText(),
        Instant.parse(ticket.get("openedAt").asText()));
  }
}
