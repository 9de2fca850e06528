package io.aftercare.simulator.score;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An alarm as the staff API shows it ({@code GET /api/v1/alarms}), reduced to what scoring needs.
 *
 * @param resolution {@code fixed_remotely} or {@code condition_cleared} once cleared
 * @param remedies the commands remote-fix-first sent for it, in order
 * @param forecast a forecast rule's latest forecast ({@code details.forecast.summary}, e.g.
 *     "battery empty in about 6 h"); empty for alarms of other rules
 */
public record PlatformAlarm(
    long id,
    String deviceId,
    String ruleId,
    String status,
    Instant raisedAt,
    Optional<Instant> clearedAt,
    Optional<String> resolution,
    List<RemedyAction> remedies,
    Optional<String> forecast) {

  public PlatformAlarm {
    remedies = List.copyOf(remedies);
  }

  /** An alarm without a forecast. */
  public PlatformAlarm(
      long id,
      String deviceId,
      String ruleId,
      String status,
      Instant raisedAt,
      Optional<Instant> clearedAt,
      Optional<String> resolution,
      List<RemedyAction> remedies) {
    this(id, deviceId, ruleId, status, raisedAt, clearedAt, resolution, remedies, Optional.empty());
  }

  /** Whether the alarm is a forecast warning: its rule forecasts when a limit is reached. */
  public boolean isForecast() {
    return forecast.isPresent();
  }

  /** One remedy command: {@code status} is {@code sent} until its result arrives. */
  public record RemedyAction(String command, String commandId, String status, Instant at) {}

  static PlatformAlarm fromJson(JsonNode alarm) {
    List<RemedyAction> remedies = new ArrayList<>();
    for (JsonNode action : alarm.path("remediation").path("actions")) {
      remedies.add(
          new RemedyAction(
              action.path("command").asText(),
              action.path("commandId").asText(),
              action.path("status").asText(),
              Instant.parse(action.path("at").asText())));
    }
    return new PlatformAlarm(
        alarm.get("id").asLong(),
        alarm.get("deviceId").asText(),
        alarm.get("ruleId").asText(),
        alarm.get("status").asText(),
        Instant.parse(alarm.get("raisedAt").asText()),
        optionalText(alarm, "clearedAt").map(Instant::parse),
        optionalText(alarm, "resolution"),
        remedies,
        optionalText(alarm.path("details").path("forecast"), "summary"));
  }

  static Optional<String> optionalText(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
  }
}
