package io.aftercare.platform.alarms;

import static org.assertj.core.api.Assertions.assertThat;

import io.aftercare.bridge.KpiDimension;
import io.aftercare.bridge.RemoteFixes;
import io.aftercare.testsupport.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The KPI series counts the remote fixes per day and group in the database ({@link
 * RemoteFixesWithoutTicket#countedPer}); {@link RemoteFixes#countedPer}'s default counts the fixes
 * the report reads one by one. Both must count the same fixes in the same day and group, at the
 * edges too: days of 23 and 25 hours, fixes at a day's first instant and just outside the range,
 * fixes that did become or join a case, devices without a model or firmware.
 */
class RemoteFixCountsTest {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  /** Berlin leaves summer time on 2026-10-25: that day has 25 hours. */
  private static final LocalDate FIRST_DAY = LocalDate.of(2026, 10, 24);

  private static final int DAYS = 4;

  private static final RemoteFixesWithoutTicket FIXES = new RemoteFixesWithoutTicket();

  /** The same fixes, counted one by one by the interface's default. */
  private static final RemoteFixes ONE_BY_ONE = FIXES::detectedBetween;

  private static TestDatabases.TestDatabase database;

  @BeforeAll
  static void load() throws SQLException {
    database = TestDatabases.migrated();
    try (Connection c = database.connect()) {
      device(c, "lock-1", "lock", "LK-1", "1.2");
      device(c, "lock-2", "lock", null, "2.0");
      device(c, "fridge-1", "fridge", "FR-2", null);
      // The first instant of the range and the last one inside it.
      fixed(c, "lock-1", "lock_jammed", "device_fault", "2026-10-23T22:00:00Z");
      fixed(c, "fridge-1", "door_open", "usage", "2026-10-27T22:59:59.999Z");
      // 00:30 on the 25th in summer time; 23:30 on the 25th and 00:30 on the 26th in winter time.
      fixed(c, "lock-1", "lock_jammed", "device_fault", "2026-10-24T22:30:00Z");
      fixed(c, "lock-2", "lock_jammed", "device_fault", "2026-10-25T22:30:00Z");
      fixed(c, "lock-2", "battery_low", "power", "2026-10-25T23:30:00Z");
      fixed(c, "fridge-1", "door_open", "usage", "2026-10-25T23:30:00Z");
      // Outside the range: just before it and at its end.
      fixed(c, "lock-1", "lock_jammed", "device_fault", "2026-10-23T21:59:59.999Z");
      fixed(c, "lock-1", "lock_jammed", "device_fault", "2026-10-27T23:00:00Z");
      // Not remote fixes without a ticket: cleared by itself, a ticket requested, linked to a case.
      long cleared = fixed(c, "lock-2", "lock_jammed", "device_fault", "2026-10-25T10:00:00Z");
      execute(c, "UPDATE alarms SET resolution = 'condition_cleared' WHERE id = ?", cleared);
      long requested = fixed(c, "lock-2", "battery_low", "power", "2026-10-25T11:00:00Z");
      execute(c, "UPDATE alarms SET ticket_requested_at = raised_at WHERE id = ?", requested);
      long linked = fixed(c, "fridge-1", "door_open", "usage", "2026-10-26T12:00:00Z");
      link(c, linked);
    }
  }

  @Test
  void theDatabaseCountsWhatTheFixesReadOneByOneCount() throws SQLException {
    List<KpiDimension> breakdowns = new ArrayList<>(Arrays.asList(KpiDimension.values()));
    breakdowns.add(null);
    try (Connection c = database.connect()) {
      for (KpiDimension groupBy : breakdowns) {
        assertThat(counted(FIXES, c, groupBy))
            .as("groupBy %s", groupBy)
            .isEqualTo(counted(ONE_BY_ONE, c, groupBy));
      }
    }
  }

  @Test
  void eachDayHoldsItsOwnFixesInTheCalendarsZone() throws SQLException {
    try (Connection c = database.connect()) {
      assertThat(counted(FIXES, c, null))
          .isEqualTo(
              Map.of(
                  0, Map.of("", 1),
                  1, Map.of("", 2),
                  2, Map.of("", 2),
                  3, Map.of("", 1)));
    }
  }

  /** Per day index, the fixes per group key ("" for a null key). */
  private static Map<Integer, Map<String, Integer>> counted(
      RemoteFixes fixes, Connection c, KpiDimension groupBy) throws SQLException {
    Map<Integer, Map<String, Integer>> counts = new HashMap<>();
    for (RemoteFixes.Count count : fixes.countedPer(c, bounds(), groupBy)) {
      Integer earlier =
          counts
              .computeIfAbsent(count.period(), day -> new HashMap<>())
              .put(key(count.key()), count.fixes());
      assertThat(earlier).as("one count per day and group").isNull();
    }
    return counts;
  }

  private static String key(String key) {
    return key == null ? "" : key;
  }

  private static List<Instant> bounds() {
    return FIRST_DAY
        .datesUntil(FIRST_DAY.plusDays(DAYS + 1))
        .map(day -> day.atStartOfDay(BERLIN).toInstant())
        .toList();
  }

  private static void device(Connection c, String id, String type, String model, String firmware)
      throws SQLException {
    execute(
        c,
        "INSERT INTO devices (id, type, model, firmware, token_salt, token_hash, created_at)"
            + " VALUES (?, ?, ?, ?, '\\x00', '\\x00', now())",
        id,
        type,
        model,
        firmware);
  }

  /** An alarm cleared as fixed remotely without a ticket; returns its id. */
  private static long fixed(
      Connection c, String deviceId, String ruleId, String category, String raisedAt)
      throws SQLException {
    Timestamp at = Timestamp.from(Instant.parse(raisedAt));
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO alarms (device_id, rule_id, severity, status, category, raised_at,"
                + " last_seen_at, count, open_ticket, cleared_at, resolution, remediation_state)"
                + " VALUES (?, ?, 'major', 'cleared', ?, ?, ?, 1, false, ?, 'fixed_remotely',"
                + " 'fixed') RETURNING id")) {
      insert.setString(1, deviceId);
      insert.setString(2, ruleId);
      insert.setString(3, category);
      insert.setTimestamp(4, at);
      insert.setTimestamp(5, at);
      insert.setTimestamp(6, at);
      try (ResultSet rs = insert.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** The alarm joined a case (a fault episode): the case counts itself. */
  private static void link(Connection c, long alarmId) throws SQLException {
    long ticketId;
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO tickets (device_id, rule_id, category, severity, priority, status,"
                + " device_type, customer_tier, reason, evidence, opened_at, updated_at)"
                + " SELECT device_id, rule_id, category, 'major', 'P3', 'open', 'fridge',"
                + " 'standard', 'test', '{}', raised_at, raised_at FROM alarms WHERE id = ?"
                + " RETURNING id")) {
      insert.setLong(1, alarmId);
      try (ResultSet rs = insert.executeQuery()) {
        rs.next();
        ticketId = rs.getLong(1);
      }
    }
    execute(
        c,
        "INSERT INTO ticket_alarms (ticket_id, alarm_id, rule_id, joined_at)"
            + " SELECT ?, id, rule_id, raised_at FROM alarms WHERE id = ?",
        ticketId,
        alarmId);
  }

  private static void execute(Connection c, String sql, Object... parameters) throws SQLException {
    try (PreparedStatement statement = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      statement.executeUpdate();
    }
  }
}
