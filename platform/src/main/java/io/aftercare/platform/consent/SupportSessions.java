package io.aftercare.platform.consent;

import io.aftercare.bridge.CustomerCases;
import io.aftercare.domain.Durations;
import io.aftercare.platform.audit.AuditEntry;
import io.aftercare.platform.audit.AuditLog;
import io.aftercare.platform.db.Jdbc;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.vertx.core.Future;
import java.security.SecureRandom;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The owner's side of support sessions (docs/customer-api.md, "Support sessions"): with their
 * case's link the owner grants a session for some of their devices and command classes until a
 * time, lists their sessions, reads what staff did under each, and revokes one. Staff see a
 * device's active sessions. Every call checks the link in the transaction it works in; grants and
 * revocations are audited under the case.
 */
public final class SupportSessions {

  /** How long a session lasts when the owner does not say. */
  public static final Duration DEFAULT_DURATION = Duration.ofHours(1);

  /** The shortest session an owner may grant. */
  public static final Duration MIN_DURATION = Duration.ofMinutes(5);

  /** The longest session an owner may grant: consent is given for a visit, not for good. */
  public static final Duration MAX_DURATION = Duration.ofHours(24);

  /** The most devices one session may cover. */
  public static final int MAX_DEVICES = 20;

  private static final SecureRandom RANDOM = new SecureRandom();

  /** What the owner asks for; {@code devices} and {@code validFor} may be absent. */
  public record Grant(List<String> devices, List<String> commandClasses, String validFor) {}

  /** A session's activity: what staff did under it, oldest first. */
  public record Activity(String sessionId, List<SupportSessionAction> actions) {}

  private final Jdbc jdbc;
  private final CustomerCases cases;
  private final Clock clock;

  /**
   * @param clock the service desk's clock, which the case links run on
   */
  public SupportSessions(Jdbc jdbc, CustomerCases cases, Clock clock) {
    this.jdbc = jdbc;
    this.cases = cases;
    this.clock = clock;
  }

  /**
   * Grants a session through the case's link: for the case's device unless {@code devices} names
   * others of the same home, for {@code validFor} (1 h by default, 5 min to 24 h) but never beyond
   * the link's own expiry.
   */
  public Future<SupportSession> grant(String token, Grant grant, String from) {
    List<CommandClass> classes = classes(grant.commandClasses());
    Duration validFor = validFor(grant.validFor());
    List<String> asked = devices(grant.devices());
    return jdbc.transaction(
        c -> {
          CustomerCases.LinkedCase linked = cases.verify(c, token);
          if (!linked.open()) {
            throw new ServiceException(
                Failure.CONFLICT,
                "the case is closed: a support session is granted for an open case");
          }
          List<String> covered = asked.isEmpty() ? List.of(linked.deviceId()) : asked;
          requireOwnersDevices(c, linked.deviceId(), covered);
          Instant now = clock.instant();
          Instant expiresAt = now.plus(validFor);
          if (expiresAt.isAfter(linked.linkExpiresAt())) {
            expiresAt = linked.linkExpiresAt();
          }
          String id = newId();
          insert(c, id, linked, classes, now, expiresAt, covered);
          AuditLog.append(
              c,
              AuditEntry.of(
                      actor(linked),
                      "support_session.grant",
                      "support-session/" + id,
                      AuditEntry.Outcome.ALLOWED,
                      from)
                  .withDetail(
                      Map.of(
                          "devices",
                          covered,
                          "commandClasses",
                          classes.stream().map(CommandClass::wireName).toList(),
                          "expiresAt",
                          expiresAt.toString())));
          return load(c, linked.caseId(), id, now);
        });
  }

  /** The case's sessions, newest first. */
  public Future<List<SupportSession>> list(String token) {
    return jdbc.transaction(
        c -> {
          CustomerCases.LinkedCase linked = cases.verify(c, token);
          Instant now = clock.instant();
          List<SupportSession> sessions = new ArrayList<>();
          for (String id : ids(c, linked.caseId())) {
            sessions.add(load(c, linked.caseId(), id, now));
          }
          return sessions;
        });
  }

  /**
   * Revokes one of the case's sessions at once: no command is accepted under it from now on, and
   * the caller withdraws those still undelivered. Revoking twice is harmless.
   */
  public Future<SupportSession> revoke(String token, String sessionId, String from) {
    return jdbc.transaction(
        c -> {
          CustomerCases.LinkedCase linked = cases.verify(c, token);
          Instant now = clock.instant();
          try (PreparedStatement update =
              c.prepareStatement(
                  "UPDATE support_sessions SET revoked_at = COALESCE(revoked_at, ?)"
                      + " WHERE id = ? AND case_id = ? RETURNING revoked_at = ?")) {
            update.setTimestamp(1, Timestamp.from(now));
            update.setString(2, sessionId);
            update.setLong(3, linked.caseId());
            update.setTimestamp(4, Timestamp.from(now));
            try (ResultSet rs = update.executeQuery()) {
              if (!rs.next()) {
                throw noSuchSession();
              }
              if (rs.getBoolean(1)) {
                AuditLog.append(
                    c,
                    AuditEntry.of(
                        actor(linked),
                        "support_session.revoke",
                        "support-session/" + sessionId,
                        AuditEntry.Outcome.ALLOWED,
                        from));
              }
            }
          }
          return load(c, linked.caseId(), sessionId, now);
        });
  }

  /** What staff did under one of the case's sessions, oldest first. */
  public Future<Activity> activity(String token, String sessionId) {
    return jdbc.transaction(
        c -> {
          CustomerCases.LinkedCase linked = cases.verify(c, token);
          if (!ids(c, linked.caseId()).contains(sessionId)) {
            throw noSuchSession();
          }
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT a.at, a.actor_role, a.device_id, a.command, a.command_class, cm.status"
                      + " FROM support_session_actions a JOIN commands cm ON cm.id = a.command_id"
                      + " WHERE a.session_id = ? ORDER BY a.id")) {
            select.setString(1, sessionId);
            List<SupportSessionAction> actions = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
              while (rs.next()) {
                actions.add(
                    new SupportSessionAction(
                        rs.getTimestamp("at").toInstant(),
                        rs.getString("actor_role"),
                        rs.getString("device_id"),
                        rs.getString("command"),
                        CommandClass.fromWire(rs.getString("command_class")).orElseThrow(),
                        rs.getString("status")));
              }
            }
            return new Activity(sessionId, actions);
          }
        });
  }

  /** The sessions that cover {@code deviceId} now, for staff. */
  public Future<List<SupportSession>> activeFor(String deviceId) {
    return jdbc.call(
        c -> {
          Instant now = clock.instant();
          List<SupportSession> sessions = new ArrayList<>();
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT s.id, s.case_id FROM support_sessions s"
                      + " JOIN support_session_devices d ON d.session_id = s.id"
                      + " WHERE d.device_id = ? AND s.revoked_at IS NULL"
                      + " AND s.granted_at <= ? AND s.expires_at > ? AND NOT "
                      + OwnerConsent.LINK_REVOKED
                      + " ORDER BY s.expires_at, s.id")) {
            select.setString(1, deviceId);
            select.setTimestamp(2, Timestamp.from(now));
            select.setTimestamp(3, Timestamp.from(now));
            try (ResultSet rs = select.executeQuery()) {
              while (rs.next()) {
                sessions.add(load(c, rs.getLong("case_id"), rs.getString("id"), now));
              }
            }
          }
          return sessions;
        });
  }

  private static List<CommandClass> classes(List<String> names) {
    if (names == null || names.isEmpty()) {
      throw invalid(
          "'commandClasses' is required: one or more of "
              + CommandClass.grantable().stream().map(CommandClass::wireName).toList());
    }
    Set<CommandClass> classes = new LinkedHashSet<>();
    for (int i = 0; i < names.size(); i++) {
      int index = i;
      CommandClass found =
          CommandClass.fromWire(names.get(i))
              .filter(CommandClass::needsConsent)
              .orElseThrow(
                  () ->
                      invalid(
                          "'commandClasses["
                              + index
                              + "]' must be one of "
                              + CommandClass.grantable().stream()
                                  .map(CommandClass::wireName)
                                  .toList()
                              + " (diagnostics never need consent)"));
      classes.add(found);
    }
    return List.copyOf(classes);
  }

  private static Duration validFor(String text) {
    if (text == null) {
      return DEFAULT_DURATION;
    }
    Duration duration;
    try {
      duration = Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw invalid("'validFor' must be a duration such as 30m, 2h or PT2H");
    }
    if (duration.compareTo(MIN_DURATION) < 0 || duration.compareTo(MAX_DURATION) > 0) {
      throw invalid("'validFor' must be between 5m and 24h");
    }
    return duration;
  }

  private static List<String> devices(List<String> devices) {
    if (devices == null) {
      return List.of();
    }
    if (devices.isEmpty() || devices.size() > MAX_DEVICES) {
      throw invalid("'devices' must name 1 to " + MAX_DEVICES + " devices, or be left out");
    }
    for (int i = 0; i < devices.size(); i++) {
      if (devices.get(i) == null || devices.get(i).isBlank()) {
        throw invalid("'devices[" + i + "]' must be a device id");
      }
    }
    return List.copyOf(new LinkedHashSet<>(devices));
  }

  /**
   * Every device asked for is the case's own or installed in the same home; the refusal is the same
   * for a device of another home and one that does not exist.
   */
  private static void requireOwnersDevices(Connection c, String caseDevice, List<String> devices)
      throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT d.id FROM devices d WHERE d.id = ANY (?) AND (d.id = ? OR (d.home_id_index"
                + " IS NOT NULL AND d.home_id_index = (SELECT h.home_id_index FROM devices h"
                + " WHERE h.id = ?)))")) {
      select.setArray(1, c.createArrayOf("text", devices.toArray()));
      select.setString(2, caseDevice);
      select.setString(3, caseDevice);
      Set<String> found = new LinkedHashSet<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          found.add(rs.getString(1));
        }
      }
      for (int i = 0; i < devices.size(); i++) {
        if (!found.contains(devices.get(i))) {
          throw invalid("'devices[" + i + "]' is not the case's device nor one of the same home");
        }
      }
    }
  }

  private static void insert(
      Connection c,
      String id,
      CustomerCases.LinkedCase linked,
      List<CommandClass> classes,
      Instant now,
      Instant expiresAt,
      List<String> devices)
      throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO support_sessions (id, case_id, link_id, command_classes, granted_at,"
                + " expires_at) VALUES (?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, id);
      insert.setLong(2, linked.caseId());
      insert.setString(3, linked.linkId());
      insert.setArray(
          4, c.createArrayOf("text", classes.stream().map(CommandClass::wireName).toArray()));
      insert.setTimestamp(5, Timestamp.from(now));
      insert.setTimestamp(6, Timestamp.from(expiresAt));
      insert.executeUpdate();
    }
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO support_session_devices (session_id, device_id) VALUES (?, ?)")) {
      for (String device : devices) {
        insert.setString(1, id);
        insert.setString(2, device);
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  private static List<String> ids(Connection c, long caseId) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT id FROM support_sessions WHERE case_id = ? ORDER BY granted_at DESC, id")) {
      select.setLong(1, caseId);
      List<String> ids = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
      return ids;
    }
  }

  private static SupportSession load(Connection c, long caseId, String id, Instant now)
      throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT s.command_classes, s.granted_at, s.expires_at,"
                + " COALESCE(s.revoked_at, (SELECT l.revoked_at FROM customer_links l"
                + " WHERE l.id = s.link_id)) AS revoked_at,"
                + " ARRAY(SELECT d.device_id FROM support_session_devices d"
                + " WHERE d.session_id = s.id ORDER BY d.device_id) AS devices"
                + " FROM support_sessions s WHERE s.id = ? AND s.case_id = ?")) {
      select.setString(1, id);
      select.setLong(2, caseId);
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next()) {
          throw noSuchSession();
        }
        Instant expiresAt = rs.getTimestamp("expires_at").toInstant();
        Timestamp revoked = rs.getTimestamp("revoked_at");
        String status =
            revoked != null ? "revoked" : now.isBefore(expiresAt) ? "active" : "expired";
        List<CommandClass> classes = new ArrayList<>();
        for (String name : texts(rs.getArray("command_classes"))) {
          classes.add(CommandClass.fromWire(name).orElseThrow());
        }
        return new SupportSession(
            id,
            caseId,
            texts(rs.getArray("devices")),
            classes,
            rs.getTimestamp("granted_at").toInstant(),
            expiresAt,
            revoked == null ? null : revoked.toInstant(),
            status);
      }
    }
  }

  private static List<String> texts(Array array) throws SQLException {
    return List.of((String[]) array.getArray());
  }

  private static String actor(CustomerCases.LinkedCase linked) {
    return "customer:case/" + linked.caseId();
  }

  private static String newId() {
    byte[] id = new byte[8];
    RANDOM.nextBytes(id);
    return "ss-" + HexFormat.of().formatHex(id);
  }

  private static ServiceException noSuchSession() {
    return new ServiceException(Failure.NOT_FOUND, "no such support session for this case");
  }

  private static ServiceException invalid(String message) {
    return new ServiceException(Failure.INVALID_INPUT, message);
  }
}
