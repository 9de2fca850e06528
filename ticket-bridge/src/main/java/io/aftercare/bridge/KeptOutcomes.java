package io.aftercare.bridge;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Array;
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
import java.util.Collections;
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
   * opened. It depends on other tickets, so it is read live; {@link #FOLLOWERS} is the same test
   * for all the cases of a range at once.
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
   * The cases opened in each period as the KPIs count them at {@code now}, added up per period and
   * group in the database. When a row does not hold then, the rows that do not are recomputed (and
   * kept) and the cases added up again; a row another transaction holds locked is left to that one
   * (which recomputes it before it commits), and its case computed apart, from its ticket.
   *
   * @param bounds ascending instants; period i is [bounds[i], bounds[i + 1])
   * @param groupBy the breakdown whose key each case carries; null for none
   */
  List<KpiCalculator.Tallied> talliedPer(
      Connection c, List<Instant> bounds, Duration reopenWindow, KpiDimension groupBy, Instant now)
      throws SQLException {
    List<KpiCalculator.Tallied> cases = new ArrayList<>();
    if (addedUp(c, bounds, reopenWindow, groupBy, now, List.of(), cases)) {
      return cases;
    }
    List<Long> notHolding = new ArrayList<>();
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT t.ticket_id FROM ticket_kpi_outcomes t"
                + " WHERE t.opened_at >= ? AND t.opened_at < ? AND NOT coalesce("
                + HOLDS
                + ", false)")) {
      select.setTimestamp(1, Timestamp.from(bounds.get(0)));
      select.setTimestamp(2, Timestamp.from(bounds.get(bounds.size() - 1)));
      select.setLong(3, basis);
      select.setTimestamp(4, Timestamp.from(now));
      select.setTimestamp(5, Timestamp.from(now));
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          notHolding.add(rs.getLong(1));
        }
      }
    }
    List<Long> heldElsewhere = new ArrayList<>(notHolding);
    if (!notHolding.isEmpty()) {
      for (long id : lock(c, notHolding)) {
        store(c, id, now);
        heldElsewhere.remove(Long.valueOf(id));
      }
    }
    cases.clear();
    addedUp(c, bounds, reopenWindow, groupBy, now, heldElsewhere, cases);
    for (long id : heldElsewhere) {
      cases.add(computedApart(c, id, bounds, reopenWindow, groupBy, now));
    }
    return cases;
  }

  /**
   * Adds up the kept rows of the range per period and group, but those of {@code excluded}.
   *
   * @return whether every row held at {@code now}
   */
  private boolean addedUp(
      Connection c,
      List<Instant> bounds,
      Duration reopenWindow,
      KpiDimension groupBy,
      Instant now,
      List<Long> excluded,
      List<KpiCalculator.Tallied> cases)
      throws SQLException {
    Timestamp from = Timestamp.from(bounds.get(0));
    Timestamp to = Timestamp.from(bounds.get(bounds.size() - 1));
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT width_bucket(t.opened_at, ?) - 1 AS period, "
                + (groupBy == null ? "NULL" : "t." + keyColumn(groupBy))
                + " AS group_key, bool_and(coalesce("
                + HOLDS
                + ", false)) AS held, "
                + COUNTS
                + " FROM ticket_kpi_outcomes t"
                + " WHERE t.opened_at >= ? AND t.opened_at < ? AND t.ticket_id <> ALL (?)"
                + " GROUP BY 1, 2")) {
      int i = 1;
      select.setArray(
          i++,
          c.createArrayOf(
              "timestamptz", bounds.stream().map(Timestamp::from).toArray(Timestamp[]::new)));
      select.setLong(i++, basis);
      select.setTimestamp(i++, Timestamp.from(now));
      select.setTimestamp(i++, Timestamp.from(now));
      // The earlier fixes that cases of the range may follow were resolved in the range or
      // within the reopen window before it.
      select.setTimestamp(i++, from);
      select.setTimestamp(i++, to);
      select.setTimestamp(i++, from);
      select.setDouble(i++, reopenWindow.toSeconds());
      select.setTimestamp(i++, to);
      select.setDouble(i++, reopenWindow.toSeconds());
      select.setTimestamp(i++, from);
      select.setTimestamp(i++, to);
      select.setArray(i, c.createArrayOf("bigint", excluded.toArray()));
      boolean held = true;
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          held &= rs.getBoolean("held");
          KpiTally tally = new KpiTally();
          tally.add(counted(rs));
          cases.add(
              new KpiCalculator.Tallied(rs.getInt("period"), rs.getString("group_key"), tally));
        }
      }
      return held;
    }
  }

  /**
   * Whether a row {@code t} holds at the time of asking (parameters: the current basis, then the
   * time of asking twice); null for a row not computed yet.
   */
  private static final String HOLDS =
      "(NOT t.stale AND t.basis = ? AND t.valid_from <= ?"
          + " AND (t.valid_until IS NULL OR t.valid_until > ?))";

  /**
   * The cases of the range whose fault follows an earlier fix on another ticket (parameters: the
   * range's start and end, its start and the reopen window in seconds, its end, the window again):
   * a ticket of the same device and fault was resolved within the window before the case was
   * opened. It depends on other tickets, so it is read live: one hash join of the range's cases
   * with the tickets resolved in or just before the range, not a probe per case.
   */
  private static final String FOLLOWERS =
      "SELECT f.ticket_id FROM ticket_kpi_outcomes f JOIN tickets e ON e.device_id = f.device_id"
          + " WHERE f.opened_at >= ? AND f.opened_at < ?"
          + " AND e.resolved_at >= ?::timestamptz - make_interval(secs => ?)"
          + " AND e.resolved_at < ? AND e.id <> f.ticket_id"
          // The same fault: the same diagnosis category, or (a reported case has none) an
          // alarm of the same rule linked to both, as fault episodes match them.
          + " AND (e.category = f.category OR EXISTS (SELECT 1 FROM ticket_alarms ea"
          + " JOIN ticket_alarms ta ON ta.rule_id = ea.rule_id"
          + " WHERE ea.ticket_id = e.id AND ta.ticket_id = f.ticket_id))"
          + " AND e.resolved_at <= f.opened_at"
          + " AND e.resolved_at >= f.opened_at - make_interval(secs => ?)";

  /** The rows of a group added up as {@link KpiTally#add(CaseOutcome)} adds them one by one. */
  private static final String COUNTS = counts();

  private static String counts() {
    List<String> columns =
        new ArrayList<>(
            List.of(
                "count(*) AS tickets",
                "count(*) FILTER (WHERE t.cancelled) AS cancelled",
                "count(*) FILTER (WHERE t.resolved) AS resolved",
                "count(*) FILTER (WHERE t.first_time_fix) AS first_time_fixes",
                "count(*) FILTER (WHERE t.remote) AS remote_resolved",
                "count(*) FILTER (WHERE t.handled = 'ON_TIME') AS handled_on_time",
                "count(*) FILTER (WHERE t.handled = 'LATE') AS handled_late",
                "count(*) FILTER (WHERE t.reopen_count > 0 OR t.ticket_id IN ("
                    + FOLLOWERS
                    + ")) AS repeats",
                "count(*) FILTER (WHERE t.complained) AS complained",
                "array_agg(t.customer_score) FILTER (WHERE t.customer_score IS NOT NULL)"
                    + " AS customer_scores",
                "array_agg(t.staff_score) FILTER (WHERE t.staff_score IS NOT NULL)"
                    + " AS staff_scores"));
    for (CaseOutcome.TimelinessClock clock : CaseOutcome.TIMELINESS) {
      String verdict = "t." + verdictColumn(clock);
      String seconds = secondsColumn(clock);
      String name = clock.name();
      columns.add("count(*) FILTER (WHERE " + verdict + " = 'ON_TIME') AS " + name + "_on_time");
      columns.add("count(*) FILTER (WHERE " + verdict + " = 'LATE') AS " + name + "_late");
      columns.add("count(*) FILTER (WHERE " + verdict + " = 'PENDING') AS " + name + "_pending");
      columns.add(
          "array_agg(t."
              + seconds
              + ") FILTER (WHERE t."
              + seconds
              + " IS NOT NULL) AS "
              + seconds);
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

  /** A case whose row another transaction holds, computed from its ticket as it is now. */
  private KpiCalculator.Tallied computedApart(
      Connection c,
      long id,
      List<Instant> bounds,
      Duration reopenWindow,
      KpiDimension groupBy,
      Instant now)
      throws SQLException {
    Computed computed = compute(c, id, now);
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
    int found = Collections.binarySearch(bounds, ticket.openedAt());
    // Not a bound itself: the period is the one starting at the bound before it.
    int period = found >= 0 ? found : -found - 2;
    KpiTally tally = new KpiTally();
    tally.add(computed.kept().with(computed.reopenCount() > 0 || follows, computed.feedback()));
    return new KpiCalculator.Tallied(period, groupBy == null ? null : groupBy.of(ticket), tally);
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

  /** A group's row read with {@link #COUNTS}. */
  private static KpiTally.Counted counted(ResultSet rs) throws SQLException {
    Map<String, KpiTally.CountedClock> clockCounts = new LinkedHashMap<>();
    for (CaseOutcome.TimelinessClock clock : CaseOutcome.TIMELINESS) {
      clockCounts.put(
          clock.name(),
          new KpiTally.CountedClock(
              rs.getInt(clock.name() + "_on_time"),
              rs.getInt(clock.name() + "_late"),
              rs.getInt(clock.name() + "_pending"),
              values(rs, secondsColumn(clock), Long.class)));
    }
    return new KpiTally.Counted(
        rs.getInt("tickets"),
        rs.getInt("cancelled"),
        rs.getInt("resolved"),
        rs.getInt("first_time_fixes"),
        rs.getInt("remote_resolved"),
        rs.getInt("handled_on_time"),
        rs.getInt("handled_late"),
        rs.getInt("repeats"),
        rs.getInt("complained"),
        values(rs, "customer_scores", Integer.class),
        values(rs, "staff_scores", Integer.class),
        clockCounts);
  }

  /** The elements of an {@code array_agg} column; none for SQL null (no row to aggregate). */
  private static <T> List<T> values(ResultSet rs, String column, Class<T> type)
      throws SQLException {
    Array array = rs.getArray(column);
    if (array == null) {
      return List.of();
    }
    List<T> values = new ArrayList<>();
    for (Object value : (Object[]) array.getArray()) {
      values.add(type.cast(value));
    }
    return values;
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
