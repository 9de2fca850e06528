package io.aftercare.simulator.score;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A home alarm as the staff API shows it ({@code GET /api/v1/home-alarms}), reduced to what scoring
 * needs. The API names no home (personal data): its devices, through the alarms it explains, say
 * which home it is.
 *
 * @param kind {@code outage} (the home offline: power or internet), {@code hub_failure} or {@code
 *     degraded}; {@code outage} for a platform from before kinds
 * @param explains the device alarms it explains
 */
public record PlatformHomeAlarm(
    long id,
    String kind,
    String status,
    Instant raisedAt,
    Optional<Instant> clearedAt,
    List<Explained> explains) {

  /** The kind of home alarm a home without power calls for. */
  public static final String OUTAGE = "outage";

  public PlatformHomeAlarm {
    explains = List.copyOf(explains);
  }

  /** A device alarm linked to the home alarm, which opened no ticket of its own. */
  public record Explained(long alarmId, String deviceId, String ruleId) {}

  public List<String> deviceIds() {
    return explains.stream().map(Explained::deviceId).distinct().toList();
  }

  static PlatformHomeAlarm fromJson(JsonNode alarm) {
    List<Explained> explains = new ArrayList<>();
    for (JsonNode explained : alarm.path("explains")) {
      explains.add(
          new Explained(
              explained.get("alarmId").asLong(),
              explained.get("deviceId").asText(),
              explained.get("ruleId").asText()));
    }
    return new PlatformHomeAlarm(
        alarm.get("id").asLong(),
        PlatformAlarm.optionalText(alarm, "kind").orElse(OUTAGE),
        alarm.get("status").asText(),
        Instant.parse(alarm.get("raisedAt").asText()),
        PlatformAlarm.optionalText(alarm, "clearedAt").map(Instant::parse),
        explains);
  }
}
