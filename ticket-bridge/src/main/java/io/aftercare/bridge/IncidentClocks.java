package io.aftercare.bridge;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * The three clocks of an incident, all from its declaration (docs/incidents.md): <b>response</b> to
 * the first response (target by level), <b>handling</b> to the start of the first handling, and
 * <b>closure</b> to the loop closed (closed after its review). They count calendar time.
 */
public final class IncidentClocks {

  /** The clocks of one incident. */
  public record Clocks(SlaClock response, SlaClock handling, SlaClock closure) {}

  private final Map<IncidentLevel, Duration> respond = new EnumMap<>(IncidentLevel.class);
  private final Duration firstHandling;
  private final Duration closure;
  private final double warningRatio;

  IncidentClocks(BridgeConfig.Incidents targets, double warningRatio) {
    for (IncidentLevel level : IncidentLevel.values()) {
      Duration target = targets.respond() == null ? null : targets.respond().get(level.wireName());
      if (target == null) {
        throw new IllegalArgumentException(
            "tickets.incidents.respond needs a target for level " + level.wireName());
      }
      respond.put(level, target);
    }
    this.firstHandling = targets.firstHandling();
    this.closure = targets.closure();
    this.warningRatio = warningRatio;
  }

  Clocks compute(Incident incident, Instant now) {
    Instant declared = incident.declaredAt();
    return new Clocks(
        DeadlineClock.measure(
            respond.get(incident.level()), declared, incident.respondedAt(), now, warningRatio),
        DeadlineClock.measure(
            firstHandling, declared, incident.firstHandledAt(), now, warningRatio),
        DeadlineClock.measure(closure, declared, incident.closedAt(), now, warningRatio));
  }
}
