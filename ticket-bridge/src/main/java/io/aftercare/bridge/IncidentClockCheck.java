package io.aftercare.bridge;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;

/**
 * The scheduled check of incident clocks (docs/incidents.md): warnings and breaches of the
 * response, first-handling and closure clocks are recorded once each, a breach escalates to the
 * next support line and sends {@code incident.breached}, a warning {@code incident.updated}.
 */
final class IncidentClockCheck {

  private final Tx tx;
  private final Clock clock;
  private final IncidentClocks clocks;

  IncidentClockCheck(Tx tx, Clock clock, IncidentClocks clocks) {
    this.tx = tx;
    this.clock = clock;
    this.clocks = clocks;
  }

  /** Checks every incident not yet closed; returns how many steps were recorded. */
  int runOnce() {
    int steps = 0;
    for (long id : tx.run(IncidentStore::activeIds)) {
      steps += tx.run(c -> check(c, id, clock.instant()));
    }
    return steps;
  }

  private int check(Connection c, long id, Instant now) throws SQLException {
    Incident incident = IncidentStore.load(c, id, true).orElseThrow();
    IncidentClocks.Clocks current = clocks.compute(incident, now);
    DeskEscalation.Steps steps =
        DeskEscalation.step(c, DeskSubject.INCIDENT, id, "response", current.response(), now)
            .and(
                DeskEscalation.step(
                    c, DeskSubject.INCIDENT, id, "handling", current.handling(), now))
            .and(
                DeskEscalation.step(
                    c, DeskSubject.INCIDENT, id, "closure", current.closure(), now));
    if (steps.recorded() > 0) {
      DeskEvents.append(
          c,
          DeskSubject.INCIDENT,
          id,
          steps.breached() ? DeskEvents.INCIDENT_BREACHED : DeskEvents.INCIDENT_UPDATED,
          IncidentStore.load(c, id, false).orElseThrow(),
          now);
    }
    return steps.recorded();
  }
}
