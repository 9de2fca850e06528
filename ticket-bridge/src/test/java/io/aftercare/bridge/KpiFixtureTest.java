package io.aftercare.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.aftercare.bridge.testing.MutableClock;
import io.aftercare.bridge.testing.TestBridge;
import io.aftercare.bridge.testing.TestBridgeConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The KPIs ({@code GET /kpis}) of a hand-made set of tickets and timelines, against figures
 * computed by hand (in the comments), asked on 2026-12-01. Targets: P1 respond 2 h / repair 24 h;
 * P2 respond 4 h / repair 48 h. The calendar is 24/7, so every day is a working day.
 */
class KpiFixtureTest {

  private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

  private static TestBridge test;

  @BeforeAll
  static void start() throws SQLException {
    test = TestBridge.idle(TestBridgeConfig.defaults().disabled().build(), new MutableClock(NOW));
    try (Connection c = test.database().connect()) {
      // A: response 1 h (on time), repair 10:00-12:00 = 2 h, remote, first-time fix, score 5,
      // resolved the day it came in.
      long a = ticket(c, "t-a", "thermostat", "P2", "closed", "remote", 5, "2026-11-02T08:00:00Z");
      moves(
          c,
          a,
          "open@2026-11-02T08:00:00Z",
          "acknowledged@2026-11-02T09:00:00Z",
          "dispatched@2026-11-02T10:00:00Z",
          "in_progress@2026-11-02T11:00:00Z",
          "resolved@2026-11-02T12:00:00Z",
          "closed@2026-11-03T09:00:00Z");
      // B: response 3 h (P1: late), repair 2 h + 2 h around a 24 h parts wait = 4 h,
      // on site, first-time fix, score 3, resolved the next day.
      long b = ticket(c, "f-b", "fridge", "P1", "closed", "on_site", 3, "2026-11-05T08:00:00Z");
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
      // C: response 2 h, repair 2 h, reopened (its fault came back), 2 h more = 4 h; remote;
      // not a first-time fix; a repeat fault.
      long cc =
          ticket(c, "f-c", "fridge", "P2", "resolved", "remote", null, "2026-11-10T08:00:00Z");
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
      update(c, "UPDATE tickets SET reopen_count = 1 WHERE id = ?", cc);
      // D: self-resolved an hour in, before anyone responded: no response to be late, not counted.
      long d = ticket(c, "l-d", "lock", "P2", "cancelled", null, null, "2026-11-12T08:00:00Z");
      moves(c, d, "open@2026-11-12T08:00:00Z", "cancelled@2026-11-12T09:00:00Z");
      // E: still waiting for a first contact, long past 4 h: late; its repair clock is pending;
      // not resolved by the end of 2026-11-23: not handled within 3 working days.
      long e = ticket(c, "p-e", "plug", "P2", "open", null, null, "2026-11-20T08:00:00Z");
      moves(c, e, "open@2026-11-20T08:00:00Z");
      // F: opened before the range: not counted.
      long f = ticket(c, "t-f", "thermostat", "P2", "open", null, null, "2026-10-30T08:00:00Z");
      moves(c, f, "open@2026-10-30T08:00:00Z");
      // G: cancelled 6 h in, nobody having answered within 4 h: late all the same.
      long g = ticket(c, "l-g", "lock", "P2", "cancelled", null, null, "2026-11-14T08:00:00Z");
      moves(c, g, "open@2026-11-14T08:00:00Z", "cancelled@2026-11-14T14:00:00Z");
      // H: C's device and category again, 41 h after C's repair (within the 7-day reopen
      // window): a repeat fault; unanswered: late.
      long h = ticket(c, "f-c", "fridge", "P2", "open", null, null, "2026-11-12T08:00:00Z");
      moves(c, h, "open@2026-11-12T08:00:00Z");
      // Ratings, the latest of each source counting: staff A 5, B 3 then 4 (B's score corrected);
      // the customer's own A 4 and C 1.
      rating(c, a, "staff", 5, "2026-11-03T09:00:00Z");
      rating(c, b, "staff", 3, "2026-11-07T09:00:00Z");
      rating(c, b, "staff", 4, "2026-11-07T10:00:00Z");
      rating(c, a, "customer", 4, "2026-11-03T12:00:00Z");
      rating(c, cc, "customer", 1, "2026-11-11T12:00:00Z");
      // Two complaints about C (one case complained about), one about no case in the range, one
      // about no case before it.
      complaint(c, cc, "2026-11-11T09:00:00Z");
      complaint(c, cc, "2026-11-12T09:00:00Z");
      complaint(c, null, "2026-11-15T09:00:00Z");
      complaint(c, null, "2026-10-15T09:00:00Z");
      c.createStatement()
          .executeUpdate(
              "UPDATE tickets t SET resolved_at = (SELECT max(at) FROM ticket_timeline l"
                  + " WHERE l.ticket_id = t.id AND l.to_status = 'resolved')");
    }
  }

  @AfterAll
  static void stop() {
    if (test != null) {
      test.close();
    }
  }

  private static KpiReport report(String groupBy) {
    return test.bridge()
        .kpis()
        .report(
            Instant.parse("2026-11-01T00:00:00Z"),
            Instant.parse("2026-12-01T00:00:00Z"),
            groupBy,
            (c, from, to) -> List.of());
  }

  @Test
  void figuresMatchTheHandComputedFixture() {
    Kpis kpis = report(null).overall();
    // A, B, C, D, E, G, H
    assertThat(kpis.ticketsOpened()).isEqualTo(7);
    assertThat(kpis.cancelled()).isEqualTo(2);
    assertThat(kpis.resolved()).isEqualTo(3);
    // On time: A, C. Late: B (answered late), E and H (still unanswered), G (cancelled late).
    // D, cancelled under its target, is not counted.
    assertThat(kpis.timeliness().get("response"))
        .isEqualTo(
            new Kpis.Timeliness(
                2, 4, 0, 2.0 / 6, new Kpis.Times(3, 7200.0, 7200L, 10800L, 10800L)));
    // From the start of work: A 1 h, B 3 h, C 3 h, all on time; E and H not started: pending.
    assertThat(kpis.timeliness().get("repair"))
        .isEqualTo(
            new Kpis.Timeliness(3, 0, 2, 1.0, new Kpis.Times(3, 8400.0, 10800L, 10800L, 10800L)));
    assertThat(kpis.shares().get("resolution")).isEqualTo(new Kpis.Share(3, 7, 3.0 / 7));
    assertThat(kpis.shares().get("firstTimeFix")).isEqualTo(new Kpis.Share(2, 3, 2.0 / 3));
    assertThat(kpis.shares().get("remoteResolution")).isEqualTo(new Kpis.Share(2, 3, 2.0 / 3));
    // A, B, C resolved in time; E and H are past their third working day; D and G cancelled.
    assertThat(kpis.shares().get("handledWithin3WorkingDays"))
        .isEqualTo(new Kpis.Share(3, 5, 3.0 / 5));
    assertThat(kpis.shares().get("repeatFault")).isEqualTo(new Kpis.Share(2, 7, 2.0 / 7));
    assertThat(kpis.shares().get("complaint")).isEqualTo(new Kpis.Share(1, 7, 1.0 / 7));
    assertThat(kpis.complaintsWithoutCase()).isEqualTo(1);
    // The headline is the customer's own: A 4, C 1; staff's A 5, B 4 are apart.
    assertThat(kpis.satisfaction())
        .isEqualTo(
            new Kpis.Satisfaction(
                2, 2.5, 2.5, new Kpis.Scores(2, 2.5, 2.5), new Kpis.Scores(2, 4.5, 4.5)));
  }

  @Test
  void eachGroupHasItsOwnFigures() {
    KpiReport report = report("deviceType");
    assertThat(report.groups())
        .extracting(KpiReport.Group::key)
        // The complaint about no case has no device type: the group without a key, last.
        .containsExactly("fridge", "lock", "plug", "thermostat", null);
    Kpis fridges = report.groups().get(0).kpis();
    // B (late), C (on time), H (late)
    assertThat(fridges.ticketsOpened()).isEqualTo(3);
    assertThat(fridges.timeliness().get("response").rate()).isCloseTo(1.0 / 3, within(1e-9));
    assertThat(fridges.shares().get("repeatFault").count()).isEqualTo(2);
    assertThat(fridges.shares().get("complaint")).isEqualTo(new Kpis.Share(1, 3, 1.0 / 3));
    Kpis noDeviceType = report.groups().get(4).kpis();
    assertThat(noDeviceType.ticketsOpened()).isZero();
    assertThat(noDeviceType.complaintsWithoutCase()).isEqualTo(1);
  }

  @Test
  void anUnknownDimensionIsRefusedNamingTheParameter() {
    assertThatThrownBy(() -> report("colour"))
        .isInstanceOf(BridgeException.class)
        .hasMessageContaining("'groupBy'");
  }

  private static void update(Connection c, String sql, long id) throws SQLException {
    try (PreparedStatement update = c.prepareStatement(sql)) {
      update.setLong(1, id);
      update.executeUpdate();
    }
  }

  private static long ticket(
      Connection c,
      String deviceId,
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
                + " updated_at) VALUES (?, gen_random_uuid()::text, 'device_fault', 'major', ?,"
                + " ?, ?, 'standard', ?, ?, 'fixture', '{}', ?, ?) RETURNING id")) {
      insert.setString(1, deviceId);
      insert.setString(2, priority);
      insert.setString(3, status);
      insert.setString(4, deviceType);
      insert.setString(5, channel);
      insert.setObject(6, satisfaction);
      insert.setTimestamp(7, Timestamp.from(Instant.parse(openedAt)));
      insert.setTimestamp(8, Timestamp.from(Instant.parse(openedAt)));
      try (ResultSet rs = insert.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static void rating(Connection c, long ticketId, String source, int score, String at)
      throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO ticket_satisfaction (ticket_id, score, source, actor, at)"
                + " VALUES (?, ?, ?, 'fixture', ?)")) {
      insert.setLong(1, ticketId);
      insert.setInt(2, score);
      insert.setString(3, source);
      insert.setTimestamp(4, Timestamp.from(Instant.parse(at)));
      insert.executeUpdate();
    }
  }

  /** A complaint about the ticket, or about no case when {@code ticketId} is null. */
  private static void complaint(Connection c, Long ticketId, String receivedAt)
      throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO complaints (ticket_id, channel, text, status, owner, received_at,"
                + " updated_at) VALUES (?, 'phone', 'fixture', 'received', 'olga', ?, ?)")) {
      insert.setObject(1, ticketId);
      insert.setTimestamp(2, Timestamp.from(Instant.parse(receivedAt)));
      insert.setTimestamp(3, Timestamp.from(Instant.parse(receivedAt)));
      insert.executeUpdate();
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
