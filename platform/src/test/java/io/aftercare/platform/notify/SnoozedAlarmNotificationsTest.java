package io.aftercare.platform.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.aftercare.platform.testing.TestPlatform;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The notification scan on the real schema: the events of a snoozed alarm that happened before its
 * snooze ends are read and not notified; later ones, and other alarms', are.
 */
class SnoozedAlarmNotificationsTest {

  private static TestPlatform platform;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start();
    platform.api().provisionDevice("sn-plug", "smart_plug");
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void aSnoozedAlarmsEventsBeforeTheSnoozeEndsAreNotNotified() throws SQLException {
    Instant now = Instant.now();
    Instant snoozeEnd = now.plus(Duration.ofHours(1));
    try (Connection c = platform.database().connect()) {
      EventScanner.startCursors(c);
      long snoozed = alarm(c, "sn-rule-a", snoozeEnd);
      long awake = alarm(c, "sn-rule-b", null);
      event(c, snoozed, "raised", now);
      event(c, awake, "raised", now);
      event(c, snoozed, "escalated", snoozeEnd.plusSeconds(60));

      List<String> notified =
          EventScanner.next(c).stream().map(e -> e.kind() + " " + e.ref()).toList();

      assertThat(notified)
          .containsExactlyInAnyOrder(
              "alarm.raised alarm/" + awake, "alarm.escalated alarm/" + snoozed);
      assertThat(EventScanner.next(c)).as("the held event was read, not left for later").isEmpty();
    }
  }

  private static long alarm(Connection c, String rule, Instant snoozedUntil) throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO alarms (device_id, rule_id, severity, status, category, raised_at,"
                + " last_seen_at, count, open_ticket, snoozed_until)"
                + " VALUES ('sn-plug', ?, 'major', 'active', 'device_fault', now(), now(), 1,"
                + " false, ?) RETURNING id")) {
      insert.setString(1, rule);
      insert.setTimestamp(2, snoozedUntil == null ? null : Timestamp.from(snoozedUntil));
      try (ResultSet rs = insert.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static void event(Connection c, long alarmId, String type, Instant at)
      throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO alarm_events (alarm_id, ts, type, severity) VALUES (?, ?, ?, 'major')")) {
      insert.setLong(1, alarmId);
      insert.setTimestamp(2, Timestamp.from(at));
      insert.setString(3, type);
      insert.executeUpdate();
    }
  }
}
