package io.aftercare.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.aftercare.bridge.testing.TestBridge;
import io.aftercare.bridge.testing.TestBridgeConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The KPIs ({@code GET /kpis}) of a hand-made set of tickets and timelines, against figures
 * computed by hand (in the comments). Targets: P1 respond 2 h / repair 24 h; P2 respond 4 h /
 * repair 48 h. The repair clock runs from the start of work (in_progress).
 */
class KpiFixtureTest {

  private static TestBridge test;

  @BeforeAll
  static void start() throws SQLException {
    test = TestBridge.idle(TestBridgeConfig.defaults().disabled().build(), Clock.systemUTC());
    try (Connection c = test.database().connect()) {
      // A: response 1 h (on time), repair 11:00-12:00 = 1 h, remote, first-time fix, score 5.
      long a = ticket(c, "thermostat", "P2", "closed", "remote", 5, "2026-11-02T08:00:00Z");
      moves(
          c,
          a,
          "open@2026-11-02T08:00:00Z",
          "acknowledged@2026-11-02T09:00:00Z",
          "dispatched@2026-11-02T10:00:00Z",
          "in_progress@2026-11-02T11:00:00Z",
          "resolved@2026-11-02T12:00:00Z",
          "closed@2026-11-03T09:00:00Z");
      // B: response 3 h (P1: breached), repair 1 h + 2 h around a 24 h parts wait = 3 h,
      // on site, first-time fix, score 3.
      long b = ticket(c, "fridge", "P1", "closed", "on_site", 3, "2026-11-05T08:00:00Z");
      moves(
          c,
          b,
          "open@2026-11-05T08:00:00Z",
          "acknowledged@2026-11-05T11:00:00Z",
          "dispatched@2026-11-05T12:00:00Z",
          "in_progress@2026-11-05T13:00:00Z",
          "awaiting_parts@2026-11-05T14:00:00Z",
          "in_progress@2026-11-06T14:00:00Z",
          "resolved@2026-11-06T16:00:00Z",
          "closed@2026-11-07T09:00:00Z");
      // C: response 2 h, repair 1 h, reopened, 2 h more = 3 h; remote; not a first-time fix.
      long cc = ticket(c, "fridge", "P2", "resolved", "remote", null, "2026-11-10T08:00:00Z");
      moves(
          c,
          cc,
          "open@2026-11-10T08:00:00Z",
          "acknowledged@2026-11-10T10:00:00Z",
          "dispatched@2026-11-10T10:00:00Z",
          "in_progress@2026-11-10T11:00:00Z",
          "resolved@2026-11-10T12:00:00Z",
          "in_progress@2026-11-10T13:00:00Z",
          "resolved@2026-11-10T15:00:00Z");
      // D: self-resolved before anyone responded: no response to be late.
      long d = ticket(c, "lock", "P2", "cancelled", null, null, "2026-11-12T08:00:00Z");
      moves(c, d, "open@2026-11-12T08:00:00Z", "cancelled@2026-11-12T09:00:00Z");
      // E: still waiting for a first contact, long past 4 h: a response breach.
      long e = ticket(c, "plug", "P2", "open", null, null, "2026-11-20T08:00:00Z");
      moves(c, e, "open@2026-11-20T08:00:00Z");
      // F: opened before the window: not counted.
      long f = ticket(c, "thermostat", "P2", "open", null, null, "2026-10-30T08:00:00Z");
      moves(c, f, "open@2026-10-30T08:00:00Z");
    }
  }

  @AfterAll
  static void stop() {
    if (test != null) {
      test.close();
    }
  }

  @Test
  void figuresMatchTheHandComputedFixture() {
    Kpis kpis =
        test.bridge()
            .tickets()
            .kpis(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"));
    assertThat(kpis.ticketsOpened()).isEqualTo(5);
    assertThat(kpis.responded()).isEqualTo(3);
    assertThat(kpis.responseTimelinessRate()).isCloseTo(2.0 / 3, within(1e-9));
    // 1 h, 3 h, 2 h
    assertThat(kpis.responseTimeSeconds().mean()).isEqualTo(7200.0);
    assertThat(kpis.responseTimeSeconds().p50()).isEqualTo(7200L);
    assertThat(kpis.responseTimeSeconds().p90()).isEqualTo(10800L);
    assertThat(kpis.resolved()).isEqualTo(3);
    // 1 h, 3 h, 3 h
    assertThat(kpis.repairTimeSeconds().mean()).isEqualTo(8400.0);
    assertThat(kpis.repairTimeSeconds().p50()).isEqualTo(10800L);
    assertThat(kpis.repairTimeSeconds().p95()).isEqualTo(10800L);
    assertThat(kpis.remoteResolutionRate()).isCloseTo(2.0 / 3, within(1e-9));
    assertThat(kpis.firstTimeFixRate()).isCloseTo(2.0 / 3, within(1e-9));
    assertThat(kpis.slaBreaches().response()).isEqualTo(2);
    assertThat(kpis.slaBreaches().repair()).isEqualTo(0);
    assertThat(kpis.cancelled()).isEqualTo(1);
    assertThat(kpis.meanSatisfaction()).isEqualTo(4.0);
    assertThat(kpis.ticketsByDeviceType())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("fridge", 2, "lock", 1, "plug", 1, "thermostat", 1));
  }

  private static long ticket(
      Connection c,
      String deviceType,
      String priority,
      String status,
      String channel,
      Integer satisfaction,
      String openedAt)
      throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO tickets (device_id, rule_id, category, severity, priority, status,"
                + " device_type, customer_tier, channel, satisfaction, reason, evidence, opened_at,"
                + " updated_at) VALUES (gen_random_uuid()::text, 'r', 'device_fault', 'major', ?,"
                + " ?, ?, 'standard', ?, ?, 'fixture', '{}', ?, ?) RETURNING id")) {
      insert.setString(1, priority);
      insert.setString(2, status);
      insert.setString(3, deviceType);
      insert.setString(4, channel);
      insert.setObject(5, satisfaction);
      insert.setTimestamp(6, Timestamp.from(Instant.parse(openedAt)));
      insert.setTimestamp(7, Timestamp.from(Instant.parse(openedAt)));
      try (ResultSet rs = insert.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Timeline transitions written as {@code status@instant}. */
  private static void moves(Connection c, long ticketId, String... moves) throws SQLException {
    for (String move : moves) {
      String[] parts = move.split("@");
      try (PreparedStatement insert =
          c.prepareStatement(
              "INSERT INTO ticket_timeline (ticket_id, at, actor, kind, to_status)"
                  + " VALUES (?, ?, 'fixture', 'transition', ?)")) {
        insert.setLong(1, ticketId);
        insert.setTimestamp(2, Timestamp.from(Instant.parse(parts[1])));
        insert.setString(3, parts[0]);
        insert.executeUpdate();
      }
    }
  }
}
