package io.aftercare.bridge;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Keeps each ticket's {@link KeptOutcome} in {@code ticket_kpi_outcomes} (V86) and reads the cases
 * of the KPIs from there. The database marks a ticket's row stale whenever its timeline grows or
 * one of the columns its outcome is computed from changes; {@link Tx} calls {@link #refreshStale}
 * before every commit, so a committed row is never behind a committed change. An outcome that
 * depends on the time of asking holds only until its {@code valid_until}; the reader recomputes any
 * row that does not hold at its time of asking, or was computed under other SLA targets or another
 * calendar.
 */
final class KeptOutcomes {

  /** Rows computed per transaction when the bridge starts: short transactions, few locks. */
  private static final int START_BATCH = 500;

  /** The KPI-breakdown key columns, one per {@link KpiDimension}. */
  private static String keyColumn(KpiDimension dimension) {
    return "key_" + dimension.name().toLowerCase(Locale.ROOT);
  }

  private static String verdictColumn(CaseOutcome.TimelinessClock clock) {
    return clock.name() + "_verdict";
  }

  private static String secondsColumn(CaseOutcome.TimelinessClock clock) {
    return clock.name() + "_seconds";
  }

  /**
   * A case's history, from a row of columns {@code ticket_id, device_id, category, opened_at,
   * reopen_count} named {@code t} (the reopen window in seconds its one parameter): whether its
   * fault is a repeat (reopened, or following a ticket of the same device and category resolved
   * within the window before it was opened) and its feedback.
   */
  private static final String HISTORY =
      "t.reopen_count, EXISTS (SELECT 1 FROM tickets e"
          + " WHERE e.device_id = t.device_id AND e.id <> t.ticket_id"
          // The same fault: the same diagnosis category, or (a reported case has none) an
          // alarm of the same rule linked to both, as fault episodes match them.
          + " AND (e.category = t.category OR EXISTS (SELECT 1 FROM ticket_alarms ea"
          + " JOIN ticket_alarms ta ON ta.rule_id = ea.rule_id"
          + " WHERE ea.ticket_id = e.id AND ta.ticket_id = t.ticket_id))"
          + " AND e.resolved_at <= t.opened_at"
          + " AND e.resolved_at >= t.opened_at - make_interval(secs => ?)) AS follows,"
          + " EXISTS (SELECT 1 FROM complaints k WHERE k.ticket_id = t.ticket_id) AS complained,"
          + " (SELECT s.score FROM ticket_satisfaction s WHERE s.ticket_id = t.ticket_id"
          + " AND s.source = 'customer' ORDER BY s.id DESC LIMIT 1) AS customer_score,"
          + " (SELECT s.score FROM ticket_satisfaction s WHERE s.ticket_id = t.ticket_id"
          + " AND s.source = 'staff' ORDER BY s.id DESC LIMIT 1) AS staff_score";

  /** The columns a computed row is written with, after {@code stale, basis, valid_from}. */
  private static final List<String> COMPUTED = computedColumns();

  private static List<String> computedColumns() {
    List<String> columns =
        new ArrayList<>(
            List.of(
                "valid_until",
                "opened_at",
                "device_id",
                "category",
                "reopen_count",
                "cancelled",
                "resolved",
                "first_time_fix",
                "remote",
                "handled"));
    for (KpiDimension dimension : KpiDimension.values()) {
      columns.add(keyColumn(dimension));
    }
    for (CaseOutcome.TimelinessClock clock : CaseOutcome.TIMELINESS) {
      columns.add(verdictColumn(clock));
      columns.add(secondsColumn(clock));
    }
    return List.copyOf(columns);
  }

  private final SlaClocks clocks;
  private final WorkingDays workingDays;
  private final Clock clock;
  private final long basis;

  /**
   * @param basis fingerprint of the targets and calendar the outcomes are computed under ({@link
   *     #basis})
   */
  KeptOutcomes(SlaClocks clocks, WorkingDays workingDays, Clock clock, long basis) {
    this.clocks = clocks;
    this.workingDays = workingDays;
    this.clock = clock;
    this.basis = basis;
  }

  /**
   * A fingerprint of the configuration an outcome is computed under: the SLA targets and the
   * business calendar (whose zone is also the working days'). Any change to them gives another
   * fingerprint, so the outcomes computed before are recomputed when next read.
   */
  static long basis(BridgeConfig.Sla sla, BridgeConfig.Calendar calendar) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((sla + "\n" + calendar).getBytes(StandardCharsets.UTF_8));
      long fingerprint = 0;
      for (int i = 0; i < Long.BYTES; i++) {
        fingerprint = (fingerprint << 8) | (digest[i] & 0xff);
      }
      return fingerprint;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /**
   * Recomputes the rows marked stale that this transaction may update (rows other transactions hold
   * locked are theirs to recompute before they commit).
   */
  void refreshStale(Connection c) throws SQLException {
    List<Long> stale =
        ids(
            c,
            "SELECT ticket_id FROM ticket_kpi_outcomes WHERE stale"
                + " ORDER BY ticket_id FOR UPDATE SKIP LOCKED");
    Instant now = clock.instant();
    for (long id : stale) {
      store(c, id, now);
    }
  }

  /**
   * Computes up to one batch of the rows not computed yet (the tickets V86 found), oldest first.
   *
   * @return how many it computed; 0 when none is left (or the others are locked)
   */
  int computeNotComputed(Connection c) throws SQLException {
    List<Long> ids =
        ids(
            c,
            "SELECT ticket_id FROM ticket_kpi_outcomes WHERE valid_from IS NULL"
                + " ORDER BY ticket_id LIMIT "
                + START_BATCH
                + " FOR UPDATE SKIP LOCKED");
    Instant now = clock.instant();
    for (long id : ids) {
      store(c, id, now);
    }
    return ids.size();
  }

  /**
   * The cases opened in [from, to) as the KPIs count them at {@code now}. A row that does not hold
   * then is recomputed (and kept, unless another transaction holds its lock: that one recomputes it
   * before it commits).
   *
   * @param groupBy the breakdown whose key each case carries; null for none
   */
  List<KpiCalculator.Case> openedBetween(
      Connection c,
      Instant from,
      Instant to,
      Duration reopenWindow,
      KpiDimension groupBy,
      Instant now)
      throws SQLException {
    List<KpiCalculator.Case> cases = new ArrayList<>();
    List<Long> notHolding = new ArrayList<>();
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT t.ticket_id, t.opened_at, "
                + (groupBy == null ? "NULL" : "t." + keyColumn(groupBy))
                + " AS group_key, "
                + READ
                + ", "
                + HISTORY
                + " FROM ticket_kpi_outcomes t WHERE t.opened_at >= ? AND t.opened_at < ?")) {
      int i = 1;
      select.setLong(i++, basis);
      select.setTimestamp(i++, Timestamp.from(now));
      select.setTimestamp(i++, Timestamp.from(now));
      select.setDouble(i++, reopenWindow.toSeconds());
      select.setTimestamp(i++, Timestamp.from(from));
      select.setTimestamp(i, Timestamp.from(to));
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          if (rs.getBoolean("holds")) {
            cases.add(
                new KpiCalculator.Case(
                    rs.getTimestamp("opened_at").toInstant(),
                    rs.getString("group_key"),
                    kept(rs).with(repeat(rs), feedback(rs))));
          } else {
            notHolding.add(rs.getLong("ticket_id"));
          }
        }
      }
    }
    if (!notHolding.isEmpty()) {
      List<Long> locked = lock(c, notHolding);
      for (long id : notHolding) {
        cases.add(recomputed(c, id, locked.contains(id), reopenWindow, groupBy, now));
      }
    }
    return cases;
  }

  /**
   * The outcome columns of a row, and whether it holds at the time of asking (parameters: the
   * current basis, then the time of asking twice).
   */
  private static final String READ = readColumns();

  private static String readColumns() {
    List<String> columns =
        new ArrayList<>(
            List.of(
                "(NOT t.stale AND t.basis IS NOT DISTINCT FROM ? AND t.valid_from <= ?"
                    + " AND (t.valid_until IS NULL OR t.valid_until > ?)) AS holds",
                "t.cancelled",
                "t.resolved",
                "t.first_time_fix",
                "t.remote",
                "t.handled",
                "t.valid_until"));
    for (CaseOutcome.TimelinessClock clock : CaseOutcome.TIMELINESS) {
      columns.add("t." + verdictColumn(clock));
      columns.add("t." + secondsColumn(clock));
    }
    return String.join(", ", columns);
  }

  /** Which of these rows this transaction now holds locked; those others hold are skipped. */
  private static List<Long> lock(Connection c, List<Long> ids) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT ticket_id FROM ticket_kpi_outcomes WHERE ticket_id = ANY (?)"
                + " ORDER BY ticket_id FOR UPDATE SKIP LOCKED")) {
      select.setArray(1, c.createArrayOf("bigint", ids.toArray()));
      List<Long> locked = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          locked.add(rs.getLong(1));
        }
      }
      return locked;
    }
  }

  /** A case computed afresh from its ticket as it is now; kept if {@code keep}. */
  private KpiCalculator.Case recomputed(
      Connection c, long id, boolean keep, Duration reopenWindow, KpiDimension groupBy, Instant now)
      throws SQLException {
    // An archived case counts as the closed or cancelled case it was.
    Ticket ticket = TicketStore.load(c, id, false).orElseThrow().outcome();
    KeptOutcome kept = compute(c, ticket, now);
    if (keep) {
      store(c, ticket, kept, now);
    }
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT "
                + HISTORY
                + " FROM (SELECT id AS ticket_id, device_id, category, opened_at, reopen_count"
                + " FROM tickets WHERE id = ?) t")) {
      select.setDouble(1, reopenWindow.toSeconds());
      select.setLong(2, id);
      try (ResultSet rs = select.executeQuery()) {
        rs.next();
        return new KpiCalculator.Case(
            ticket.openedAt(),
            groupBy == null ? null : groupBy.of(ticket),
            kept.with(repeat(rs), feedback(rs)));
      }
    }
  }

  /** Computes one ticket's row at {@code now} and writes it, no longer stale. */
  private void store(Connection c, long id, Instant now) throws SQLException {
    // An archived case counts as the closed or cancelled case it was.
    Ticket ticket = TicketStore.load(c, id, false).orElseThrow().outcome();
    store(c, ticket, compute(c, ticket, now), now);
  }

  private void store(Connection c, Ticket ticket, KeptOutcome kept, Instant now)
      throws SQLException {
    long id = ticket.id();
    StringBuilder sql =
        new StringBuilder(
            "UPDATE ticket_kpi_outcomes SET stale = false, basis = ?, valid_from = ?");
    COMPUTED.forEach(column -> sql.append(", ").append(column).append(" = ?"));
    sql.append(" WHERE ticket_id = ?");
    try (PreparedStatement update = c.prepareStatement(sql.toString())) {
      int i = 1;
      update.setLong(i++, basis);
      update.setTimestamp(i++, Timestamp.from(now));
      update.setTimestamp(
          i++, kept.validUntil() == null ? null : Timestamp.from(kept.validUntil()));
      update.setTimestamp(i++, Timestamp.from(ticket.openedAt()));
      update.setString(i++, ticket.deviceId());
      update.setString(i++, ticket.category() == null ? null : ticket.category().wireName());
      update.setInt(i++, Episodes.reopenCount(c, id));
      update.setBoolean(i++, kept.cancelled());
      update.setBoolean(i++, kept.resolved());
      update.setBoolean(i++, kept.firstTimeFix());
      update.setBoolean(i++, kept.remote());
      update.setString(i++, kept.handled().name());
      for (KpiDimension dimension : KpiDimension.values()) {
        update.setString(i++, dimension.of(ticket));
      }
      for (CaseOutcome.TimelinessClock timeliness : CaseOutcome.TIMELINESS) {
        CaseOutcome.ClockOutcome outcome = kept.clocks().get(timeliness.name());
        update.setString(i++, outcome.verdict().name());
        if (outcome.counted() == null) {
          update.setNull(i++, Types.BIGINT);
        } else {
          update.setLong(i++, outcome.counted().toSeconds());
        }
      }
      update.setLong(i, id);
      update.executeUpdate();
    }
  }

  private KeptOutcome compute(Connection c, Ticket ticket, Instant now) throws SQLException {
    return KeptOutcome.of(ticket, TicketStore.timeline(c, ticket.id()), clocks, workingDays, now);
  }

  /** The kept outcome of a row read with {@link #READ}. */
  private static KeptOutcome kept(ResultSet rs) throws SQLException {
    Map<String, CaseOutcome.ClockOutcome> clockOutcomes = new LinkedHashMap<>();
    for (CaseOutcome.TimelinessClock timeliness : CaseOutcome.TIMELINESS) {
      long seconds = rs.getLong(secondsColumn(timeliness));
      Duration counted = rs.wasNull() ? null : Duration.ofSeconds(seconds);
      clockOutcomes.put(
          timeliness.name(),
          new CaseOutcome.ClockOutcome(
              CaseOutcome.Verdict.valueOf(rs.getString(verdictColumn(timeliness))), counted));
    }
    Timestamp validUntil = rs.getTimestamp("valid_until");
    return new KeptOutcome(
        clockOutcomes,
        rs.getBoolean("cancelled"),
        rs.getBoolean("resolved"),
        rs.getBoolean("first_time_fix"),
        rs.getBoolean("remote"),
        CaseOutcome.Verdict.valueOf(rs.getString("handled")),
        validUntil == null ? null : validUntil.toInstant());
  }

  private static boolean repeat(ResultSet rs) throws SQLException {
    return rs.getInt("reopen_count") > 0 || rs.getBoolean("follows");
  }

  private static CaseOutcome.Feedback feedback(ResultSet rs) throws SQLException {
    return new CaseOutcome.Feedback(
        rs.getBoolean("complained"),
        rs.getObject("customer_score", Integer.class),
        rs.getObject("staff_score", Integer.class));
  }

  private static List<Long> ids(Connection c, String sql) throws SQLException {
    List<Long> ids = new ArrayList<>();
    try (PreparedStatement select = c.prepareStatement(sql);
        ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        ids.add(rs.getLong(1));
      }
    }
    return ids;
  }
}
