package io.aftercare.bench;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Loads service tickets opened over the history's 30 days, each with the timeline its status went
 * through (the SLA clocks and KPIs are computed from it): the older ones mostly closed, some
 * cancelled or resolved; the recent ones spread over the open states, so the queue by SLA urgency
 * holds tickets with running response, arrangement and repair clocks and paused repairs. The
 * platform computes their stored deadlines when it starts.
 */
final class TicketHistory {

  static final String PART = "tickets";

  private static final String[][] FAULTS = {
    {"overheat", "device_fault", "major", "P2"},
    {"crash_loop", "software", "critical", "P1"},
    {"device_offline", "connectivity", "major", "P2"},
    {"wifi_weak", "connectivity", "minor", "P3"},
    {"battery_low", "device_fault", "warning", "P4"},
  };

  /** The way through the states, in order; a ticket stops at one of them. */
  private static final List<String> PATH =
      List.of("open", "acknowledged", "dispatched", "in_progress", "resolved", "closed");

  private final int tickets;
  private final int devices;
  private final int days;
  private final PrintStream log;

  TicketHistory(int tickets, int devices, int days, PrintStream log) {
    this.tickets = tickets;
    this.devices = devices;
    this.days = days;
    this.log = log;
  }

  double load(Connection c, Instant end) throws SQLException {
    if (BenchDataset.done(c, PART)) {
      log.println("tickets: already loaded");
      linkFaults(c);
      return 0;
    }
    long began = System.nanoTime();
    c.setAutoCommit(false);
    Instant start = end.minus(Duration.ofDays(days));
    long span = Duration.ofDays(days).toSeconds();
    try (PreparedStatement ticket =
            c.prepareStatement(
                "INSERT INTO tickets (device_id, rule_id, category, severity, priority, status,"
                    + " device_type, customer_ref, customer_tier, owner, assignee, channel,"
                    + " reason, evidence, opened_at, updated_at, resolved_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'standard', ?, ?, ?, ?, '{}', ?, ?, ?)"
                    + " RETURNING id");
        PreparedStatement line =
            c.prepareStatement(
                "INSERT INTO ticket_timeline (ticket_id, at, actor, kind, from_status, to_status,"
                    + " note, detail) VALUES (?, ?, ?, 'transition', ?, ?, ?, ?::jsonb)")) {
      for (int k = 0; k < tickets; k++) {
        // Distinct devices: at most one live ticket per device and rule.
        int device = (int) ((k * 7919L) % devices);
        String[] fault = FAULTS[(int) (BenchFleet.mix(k, 11) % FAULTS.length)];
        Instant opened = start.plusSeconds(span * k / tickets);
        String last = lastState(k, Duration.between(opened, end));
        Instant at = opened;
        boolean worked = PATH.indexOf(last) >= PATH.indexOf("dispatched") || isPaused(last);
        ticket.setString(1, BenchFleet.id(device));
        ticket.setString(2, fault[0]);
        ticket.setString(3, fault[1]);
        ticket.setString(4, fault[2]);
        ticket.setString(5, fault[3]);
        ticket.setString(6, last);
        ticket.setString(7, BenchFleet.type(device));
        ticket.setString(8, BenchFleet.customer(device));
        ticket.setString(9, last.equals("open") ? null : "tess");
        ticket.setString(10, worked ? "ann" : null);
        ticket.setString(11, worked ? (k % 3 == 0 ? "remote" : "on_site") : null);
        ticket.setString(12, fault[0] + " on " + BenchFleet.id(device));
        ticket.setTimestamp(13, Timestamp.from(opened));
        List<String> steps = steps(last);
        Instant[] times = new Instant[steps.size()];
        for (int s = 0; s < steps.size(); s++) {
          times[s] = at;
          // Up to about 6 hours to each next step, never past the end of the history.
          Instant next = at.plusSeconds(600 + BenchFleet.mix(k, 20 + s) % 21_000);
          at = next.isBefore(end) ? next : at;
        }
        Instant updated = times[times.length - 1];
        ticket.setTimestamp(14, Timestamp.from(updated));
        ticket.setTimestamp(
            15, last.equals("resolved") || last.equals("closed") ? Timestamp.from(updated) : null);
        long id;
        try (ResultSet rs = ticket.executeQuery()) {
          rs.next();
          id = rs.getLong(1);
        }
        for (int s = 0; s < steps.size(); s++) {
          line.setLong(1, id);
          line.setTimestamp(2, Timestamp.from(times[s]));
          line.setString(3, s == 0 ? "ticket-bridge" : "tess");
          line.setString(4, s == 0 ? null : steps.get(s - 1));
          line.setString(5, steps.get(s));
          line.setString(6, s == 0 ? fault[0] : null);
          line.setString(
              7,
              steps.get(s).equals("dispatched")
                  ? "{\"channel\": \"" + (k % 3 == 0 ? "remote" : "on_site") + "\"}"
                  : null);
          line.addBatch();
        }
        if (k % 500 == 499) {
          line.executeBatch();
        }
      }
      line.executeBatch();
    }
    linkFaults(c);
    BenchDataset.record(c, PART, tickets + " tickets", true);
    c.commit();
    c.setAutoCommit(true);
    double seconds = (System.nanoTime() - began) / 1e9;
    log.printf("tickets: %d with their timelines in %.1f s%n", tickets, seconds);
    return seconds;
  }

  /**
   * Links each loaded ticket to its rule as a fault episode, as the bridge does for the alarm that
   * opens a ticket (and V51 did for tickets older than episodes). Without the link the bridge finds
   * no live ticket for an alarm of the same device and rule, tries to open a second one, and
   * retries the request without end on the unique index. Idempotent: a database loaded before this
   * step gets it on its next run.
   */
  private static void linkFaults(Connection c) throws SQLException {
    try (PreparedStatement link =
        c.prepareStatement(
            "INSERT INTO ticket_alarms (ticket_id, alarm_id, rule_id, joined_at)"
                + " SELECT t.id, NULL, t.rule_id, t.opened_at FROM tickets t"
                + " WHERE t.source = 'detected' AND t.status <> 'archived' AND NOT EXISTS"
                + " (SELECT 1 FROM ticket_alarms a WHERE a.ticket_id = t.id)")) {
      link.executeUpdate();
    }
  }

  /**
   * Where ticket {@code k} of this age stands: older than four days mostly closed (some cancelled
   * or left resolved), younger ones spread over the open states and paused repairs.
   */
  private static String lastState(int k, Duration age) {
    long p = BenchFleet.mix(k, 12) % 100;
    if (age.toDays() >= 4) {
      return p < 88 ? "closed" : p < 94 ? "cancelled" : "resolved";
    }
    return p < 25
        ? "open"
        : p < 45
            ? "acknowledged"
            : p < 60
                ? "dispatched"
                : p < 80 ? "in_progress" : p < 90 ? "awaiting_parts" : "resolved";
  }

  private static boolean isPaused(String state) {
    return state.equals("awaiting_parts");
  }

  /** The states a ticket went through to reach {@code last}, the first being its opening. */
  private static List<String> steps(String last) {
    if (last.equals("cancelled")) {
      return List.of("open", "acknowledged", "cancelled");
    }
    if (isPaused(last)) {
      return List.of("open", "acknowledged", "dispatched", "in_progress", "awaiting_parts");
    }
    return PATH.subList(0, PATH.indexOf(last) + 1);
  }
}
