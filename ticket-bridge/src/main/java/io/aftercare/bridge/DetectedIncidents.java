package io.aftercare.bridge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Incidents the diagnostics engine declares and follows itself (docs/incidents.md, "Detected
 * incidents"): many homes offline together. Every call runs inside the caller's transaction, the
 * one that stores the alarm change that set it off, so the incident and the alarms linked to it
 * commit together or not at all. The incident gets what a staff declaration gets (the same row,
 * clocks, timeline and events) and says it was {@code detected}.
 *
 * <p>Unlike a staff declaration its scope grows: devices join it as their alarms are raised, its
 * level rises with the customers affected, and the system records the recovery.
 */
public final class DetectedIncidents {

  public static final String ORIGIN = "detected";

  private final SealedText sealed;

  /**
   * @param sealed the data key the service desk seals customer references with; the devices'
   *     customer references are sealed under the same key
   */
  public DetectedIncidents(SealedText sealed) {
    this.sealed = sealed;
  }

  /**
   * Declares the incident and its first devices and customers.
   *
   * @param sealedCustomerRefs the customers' references as the devices table keeps them (sealed)
   * @return the incident's id
   */
  public long declare(
      Connection c,
      IncidentDeclaration declaration,
      List<String> deviceIds,
      List<String> sealedCustomerRefs,
      String actor,
      Instant now)
      throws SQLException {
    return bound(
        () -> {
          long id = IncidentStore.insert(c, declaration, ORIGIN, actor, now);
          addScope(c, id, deviceIds, sealedCustomerRefs);
          ObjectNode detail = BridgeJson.MAPPER.createObjectNode();
          detail.put("level", declaration.level().wireName());
          detail.put("origin", ORIGIN);
          detail.put("devices", deviceIds.size());
          DeskLog.append(
              c, DeskSubject.INCIDENT, id, now, actor, "declared", declaration.title(), detail);
          event(c, id, DeskEvents.INCIDENT_DECLARED, now);
          return id;
        });
  }

  /**
   * Adds devices and customers to the incident's scope, without a timeline entry: a storm joins
   * devices one alarm at a time, and {@link #recordGrowth} says when it has grown.
   */
  public void join(Connection c, long id, List<String> deviceIds, List<String> sealedCustomerRefs)
      throws SQLException {
    bound(
        () -> {
          addScope(c, id, deviceIds, sealedCustomerRefs);
          return null;
        });
  }

  /** A timeline entry and an {@code incident.updated} event: the incident has grown. */
  public void recordGrowth(
      Connection c, long id, String note, Map<String, ?> detail, String actor, Instant now)
      throws SQLException {
    entry(c, id, "devices_joined", note, detail, actor, now);
  }

  /** Raises the incident's level (never lowers it), with a timeline entry and an event. */
  public void raiseLevel(
      Connection c, long id, IncidentLevel to, String note, String actor, Instant now)
      throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement("UPDATE incidents SET level = ?, updated_at = ? WHERE id = ?")) {
      update.setString(1, to.wireName());
      update.setTimestamp(2, Timestamp.from(now));
      update.setLong(3, id);
      update.executeUpdate();
    }
    entry(c, id, "level_raised", note, Map.of("level", to.wireName()), actor, now);
  }

  /** Devices still down once the rest came back, released to their own tickets. */
  public void devicesReleased(
      Connection c, long id, List<String> deviceIds, String note, String actor, Instant now)
      throws SQLException {
    entry(c, id, "devices_released", note, Map.of("deviceIds", deviceIds), actor, now);
  }

  /**
   * The affected devices are back: the recovery is recorded and the incident moves to {@code
   * resolved}. The steps staff have not taken (responded, handling) are taken by {@code actor} in
   * their order, each a transition of its own on the timeline, so the life cycle stays one step at
   * a time and the timeline shows who took which; the post-incident review and the close stay with
   * staff. An incident staff already resolved or closed only gets the recovery entry.
   *
   * @return whether this moved the incident to {@code resolved}
   */
  public boolean recovered(Connection c, long id, String note, String actor, Instant now)
      throws SQLException {
    return bound(
        () -> {
          Incident incident = IncidentStore.load(c, id, true).orElseThrow();
          DeskLog.append(c, DeskSubject.INCIDENT, id, now, actor, "recovered", note, null);
          IncidentStatus status = incident.status();
          while (status.compareTo(IncidentStatus.RESOLVED) < 0) {
            IncidentStatus next = status.next();
            IncidentStore.move(c, id, next, IncidentService.stampColumn(next), now);
            ObjectNode detail = BridgeJson.MAPPER.createObjectNode();
            detail.put("from", status.wireName());
            detail.put("to", next.wireName());
            DeskLog.append(
                c,
                DeskSubject.INCIDENT,
                id,
                now,
                actor,
                "transition",
                "the affected devices are back",
                detail);
            status = next;
          }
          event(c, id, DeskEvents.INCIDENT_UPDATED, now);
          return incident.status().compareTo(IncidentStatus.RESOLVED) < 0;
        });
  }

  private void entry(
      Connection c,
      long id,
      String kind,
      String note,
      Map<String, ?> detail,
      String actor,
      Instant now)
      throws SQLException {
    bound(
        () -> {
          DeskLog.append(c, DeskSubject.INCIDENT, id, now, actor, kind, note, detail);
          event(c, id, DeskEvents.INCIDENT_UPDATED, now);
          return null;
        });
  }

  /** Work on the caller's connection that seals or opens customer references. */
  @FunctionalInterface
  private interface Work<T> {
    T run() throws SQLException;
  }

  /** Runs {@code work} with the desk's key bound, as {@link Tx} does for its own transactions. */
  private <T> T bound(Work<T> work) throws SQLException {
    DeskKey.Scope key = DeskKey.bind(sealed);
    try {
      return work.run();
    } finally {
      key.close();
    }
  }

  private static void event(Connection c, long id, String type, Instant now) throws SQLException {
    DeskEvents.append(
        c, DeskSubject.INCIDENT, id, type, IncidentStore.load(c, id, false).orElseThrow(), now);
  }

  /** Devices already in the scope are skipped; customers are sealed again under the desk's key. */
  private static void addScope(
      Connection c, long id, List<String> deviceIds, List<String> sealedCustomerRefs)
      throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO incident_scope (incident_id, kind, ref) VALUES (?, ?, ?)"
                + " ON CONFLICT DO NOTHING")) {
      for (String deviceId : deviceIds) {
        insert.setLong(1, id);
        insert.setString(2, "device");
        insert.setString(3, deviceId);
        insert.addBatch();
      }
      for (String customerRef : sealedCustomerRefs) {
        insert.setLong(1, id);
        insert.setString(2, "customer");
        insert.setString(3, DeskKey.current().seal(DeskKey.current().open(customerRef)));
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }
}
