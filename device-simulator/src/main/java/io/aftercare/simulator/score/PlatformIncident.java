package io.aftercare.simulator.score;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An incident as the staff API shows it ({@code GET /api/v1/incidents}), reduced to what scoring
 * needs.
 *
 * @param origin {@code detected} when the engine declared it for a mass outage; staff-declared
 *     incidents have another origin (or none, on a platform from before detection)
 * @param deviceIds the devices it lists as affected
 */
public record PlatformIncident(
    long id,
    Optional<String> origin,
    String level,
    String status,
    Instant declaredAt,
    Optional<Instant> resolvedAt,
    List<String> deviceIds) {

  public PlatformIncident {
    deviceIds = List.copyOf(deviceIds);
  }

  /** Declared by the engine, not by staff. */
  public boolean detected() {
    return origin.filter("detected"::equals).isPresent();
  }

  static PlatformIncident fromJson(JsonNode incident) {
    List<String> devices = new ArrayList<>();
    incident.path("deviceIds").forEach(d -> devices.add(d.asText()));
    return new PlatformIncident(
        incident.get("id").asLong(),
        PlatformAlarm.optionalText(incident, "origin"),
        incident.path("level").asText(),
        incident.path("status").asText(),
        Instant.parse(incident.get("declaredAt").asText()),
        PlatformAlarm.optionalText(incident, "resolvedAt").map(Instant::parse),
        devices);
  }
}
