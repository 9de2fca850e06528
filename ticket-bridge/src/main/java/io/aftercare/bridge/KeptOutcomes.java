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
 * Keeps each ticket's {@link KeptOutcome} and feedback in {@code ticket_kpi_outcomes} (V86) and
 * reads the cases of the KPIs from there. The database marks a ticket's row stale whenever its
 * timeline grows, one of the columns its outcome is computed from changes, or a complaint or rating
 * of it does; {@link Tx} calls {@link #refreshStale} before every commit, so a committed row is
 * never behind a committed change. An outcome that depends on the time of asking holds only until
 * its {@code valid_until}; the reader recomputes any row that does not hold at its time of asking,
 * or was computed under other SLA targets or another calendar. Whether a fault follows an earlier
 * fix depends on other tickets and is read live.
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
   * Whether a case's fault follows an earlier fix, from a row of columns {@code ticket_id,
   * device_id, category, opened_at} named {@code t} (the reopen window in seconds its one
   * parameter): a ticket of the same device and fault was resolved within the window before it was
   * opened. It depends on other tickets, so it is read live with each case.
   */
  private static final String FOLLOWS =
      "EXISTS (SELECT 1 FROM tickets e"
          + " WHERE e.device_id = t.device_id AND e.id <> t.ticket_id"
          // The same fault: the same diagnosis category, or (a reported case has none) an
          // alarm of the same rule linked to both, as fault episodes match them.
          + " AND (e.category = t.category OR EXISTS (SELECT 1 FROM ticket_alarms ea"
          + " JOIN ticket_alarms ta ON ta.rule_id = ea.rule_id"
          + " WHERE ea.ticket_id = e.id AND ta.ticket_id = t.ticket_id))"
          + " AND e.resolved_at <= t.opened_at"
          + " AND e.resolved_at >= t.opened_at - make_interval(secs => ?)) AS follows";

  /**
   * What was said about one ticket (its id the three parameters): whether a complaint is linked to
   * it, and the latest rating of each source. V86's triggers mark the ticket's row stale when a
   * complaint or rating of it changes.
   */
  private static final String FEEDBACK =
      "SELECT EXISTS (SELECT 1 FROM complaints k WHERE k.ticket_id = ?) AS complained,"
          + " (SELECT s.score FROM ticket_satisfaction s WHERE s.ticket_id = ?"
          + " AND s.source = 'customer' ORDER BY s.id DESC LIMIT 1) AS customer_score,"
          + " (SELECT s.score FROM ticket_satisfaction s WHERE s.ticket_id = ?"
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
                "handled",
                "complained",
                "customer_score",
                "staff_score"));
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
                + FOLLOWS
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
                    outcome(rs)));
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
                "t.reopen_count",
                "t.complained",
                "t.customer_score",
                "t.staff_score"));
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
    Computed computed = compute(c, id, now);
    if (keep) {
      store(c, computed, now);
    }
    boolean follows;
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT "
                + FOLLOWS
                + " FROM (SELECT id AS ticket_id, device_id, category, opened_at FROM tickets"
                + " WHERE id = ?) t")) {
      select.setDouble(1, reopenWindow.toSeconds());
      select.setLong(2, id);
      try (ResultSet rs = select.executeQuery()) {
        rs.next();
        follows = rs.getBoolean(1);
      }
    }
    Ticket ticket = computed.ticket();
    return new KpiCalculator.Case(
        ticket.openedAt(),
        groupBy == null ? null : groupBy.of(ticket),
        computed.kept().with(computed.reopenCount() > 0 || follows, computed.feedback()));
  }

  /**
   * A ticket's outcome and the parts of its row beside it.
   *
   * @param ticket as its outcome counts it: an archived case as the closed or cancelled case it was
   */
  private record Computed(
      Ticket ticket, KeptOutcome kept, int reopenCount, CaseOutcome.Feedback feedback) {}

  private Computed compute(Connection c, long id, Instant now) throws SQLException {
    Ticket ticket = TicketStore.load(c, id, false).orElseThrow().outcome();
    KeptOutcome kept =
        KeptOutcome.of(ticket, TicketStore.timeline(c, id), clocks, workingDays, now);
    try (PreparedStatement select = c.prepareStatement(FEEDBACK)) {
      select.setLong(1, id);
      select.setLong(2, id);
      select.setLong(3, id);
      try (ResultSet rs = select.executeQuery()) {
        rs.next();
        return new Computed(ticket, kept, Episodes.reopenCount(c, id), feedback(rs));
      }
    }
  }

  /** Computes one ticket's row at {@code now} and writes it, no longer stale. */
  private void store(Connection c, long id, Instant now) throws SQLException {
    store(c, compute(c, id, now), now);
  }

  private void store(Connection c, Computed computed, Instant now) throws SQLException {
    Ticket ticket = computed.ticket();
    KeptOutcome kept = computed.kept();
    CaseOutcome.Feedback feedback = computed.feedback();
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
      update.setInt(i++, computed.reopenCount());
      update.setBoolean(i++, kept.cancelled());
      update.setBoolean(i++, kept.resolved());
      update.setBoolean(i++, kept.firstTimeFix());
      update.setBoolean(i++, kept.remote());
      update.setString(i++, kept.handled().name());
      update.setBoolean(i++, feedback.complained());
      update.setObject(i++, feedback.customerScore(), Types.INTEGER);
      update.setObject(i++, feedback.staffScore(), Types.INTEGER);
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
      update.setLong(i, ticket.id());
      update.executeUpdate();
    }
  }

  /** The outcome of a row read with {@link #READ} and {@link #FOLLOWS}. */
  private static CaseOutcome outcome(ResultSet rs) throws SQLException {
    Map<String, CaseOutcome.ClockOutcome> clockOutcomes = new LinkedHashMap<>();
    for (CaseOutcome.TimelinessClock timeliness : CaseOutcome.TIMELINESS) {
      long seconds = rs.getLong(secondsColumn(timeliness));
      Duration counted = rs.wasNull() ? null : Duration.ofSeconds(seconds);
      clockOutcomes.put(
          timeliness.name(),
          new CaseOutcome.ClockOutcome(
              CaseOutcome.Verdict.valueOf(rs.getString(verdictColumn(timeliness))), counted));
    }
    return new CaseOutcome(
        clockOutcomes,
        rs.getBoolean("cancelled"),
        rs.getBoolean("resolved"),
        rs.getBoolean("first_time_fix"),
        rs.getBoolean("remote"),
        CaseOutcome.Verdict.valueOf(rs.getString("handled")),
        rs.getInt("reopen_count") > 0 || rs.getBoolean("follows"),
        feedback(rs));
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
