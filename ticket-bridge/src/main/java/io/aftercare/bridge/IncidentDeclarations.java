package io.aftercare.bridge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Declares incidents for staff, through the API. The diagnostics engine declares the incidents it
 * detects (many homes offline together) through {@link DetectedIncidents}, inside its own alarm
 * transaction, with the same store, timeline and events.
 */
public final class IncidentDeclarations {

  private final Tx tx;
  private final Clock clock;
  private final IncidentService incidents;

  IncidentDeclarations(Tx tx, Clock clock, IncidentService incidents) {
    this.tx = tx;
    this.clock = clock;
    this.incidents = incidents;
  }

  /**
   * Records the incident and starts its clocks now; every named device must exist (400 naming
   * {@code deviceIds} otherwise). {@code alsoCommit} (e.g. the audit entry) runs in the same
   * transaction.
   */
  public IncidentDetail declare(
      IncidentDeclaration declaration, String actor, InTransaction alsoCommit) {
    return tx.run(
        c -> {
          Instant now = clock.instant();
          List<String> unknown = IncidentStore.unknownDevices(c, declaration.deviceIds());
          if (!unknown.isEmpty()) {
            throw new BridgeException(
                BridgeException.Kind.INVALID, "'deviceIds' names no device: " + unknown);
          }
          long id = IncidentStore.insert(c, declaration, "declared", actor, now);
          ObjectNode detail = BridgeJson.MAPPER.createObjectNode();
          detail.put("level", declaration.level().wireName());
          DeskLog.append(
              c, DeskSubject.INCIDENT, id, now, actor, "declared", declaration.title(), detail);
          alsoCommit.run(c);
          return incidents.changed(c, id, DeskEvents.INCIDENT_DECLARED, now);
        });
  }
}
