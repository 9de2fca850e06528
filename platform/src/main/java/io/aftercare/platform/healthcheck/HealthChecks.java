package io.aftercare.platform.healthcheck;

import io.aftercare.bridge.Category;
import io.aftercare.bridge.Severity;
import io.aftercare.bridge.TicketRequest;
import io.aftercare.bridge.TicketRequests;
import io.aftercare.diagnostics.rules.RuleSet;
import io.aftercare.platform.db.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides the post-fix health checks whose window has passed and tells the ticket bridge: a passed
 * check sends {@code alarm_cleared} with its evidence, so the ticket may be resolved or cancelled;
 * a failed one sends {@code health_check_failed}, so the evidence goes on the ticket, which keeps
 * working. Each check is locked ({@code FOR UPDATE SKIP LOCKED}), decided, marked and its request
 * written in one transaction: the request exists if and only if the verdict does, whichever node
 * decides and wherever a crash falls.
 */
public final class HealthChecks {

  private static final Logger LOG = LoggerFactory.getLogger(HealthChecks.class);

  /** Checks taken per round; the rest wait for the next. */
  private static final int BATCH = 200;

  private final Jdbc jdbc;
  private final HealthCheckJudge judge;
  private final Duration window;
  private final Clock clock;

  /**
   * @param window how long a device must stay healthy after its alarm cleared ({@code
   *     diagnostics.healthCheck.window})
   */
  public HealthChecks(Jdbc jdbc, Supplier<RuleSet> rules, Duration window, Clock clock) {
    this.jdbc = jdbc;
    this.judge = new HealthCheckJudge(rules);
    this.window = window;
    this.clock = clock;
  }

  /**
   * Decides every check due now, each in its own transaction; one that fails is logged and the
   * others are still decided. Call from a worker thread; several nodes may decide at once, the row
   * locks keep each check decided once.
   *
   * @return how many checks were decided
   */
  public int decideDue() {
    Instant now = clock.instant();
    int decided = 0;
    for (long alarmId : jdbc.runNow(c -> due(c, now.minus(window)), false)) {
      try {
        if (jdbc.runNow(c -> decide(c, alarmId, clock.instant()), true)) {
          decided++;
        }
      } catch (RuntimeException e) {
        LOG.error("Could not decide the health check of alarm {}", alarmId, e);
      }
    }
    return decided;
  }

  private static List<Long> due(Connection c, Instant clearedBy) throws SQLException {
    List<Long> ids = new ArrayList<>();
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT alarm_id FROM health_checks WHERE status = 'pending' AND cleared_at <= ?"
                + " ORDER BY cleared_at LIMIT "
                + BATCH)) {
      select.setTimestamp(1, Timestamp.from(clearedBy));
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
    }
    return ids;
  }

  /** Locks the pending check, judges it and, once decided, records it and tells the bridge. */
  private boolean decide(Connection c, long alarmId, Instant now) throws SQLException {
    Optional<PendingCheck> check = lock(c, alarmId);
    if (check.isEmpty()) {
      return false; // decided meanwhile, or another node is deciding it
    }
    Optional<HealthVerdict> verdict = judge.judge(c, check.get(), now);
    if (verdict.isEmpty()) {
      return false; // the self-test has not reported yet
    }
    record(c, alarmId, verdict.get(), now);
    TicketRequest.Fault fault = fault(check.get());
    if (verdict.get().passed()) {
      TicketRequests.alarmCleared(
          c,
          fault,
          check.get().resolution() + "; post-fix health check passed",
          verdict.get().evidence());
    } else {
      TicketRequests.healthCheckFailed(
          c,
          fault,
          "post-fix health check failed: " + String.join("; ", verdict.get().failures()),
          verdict.get().evidence());
    }
    LOG.info(
        "Alarm {}: post-fix health check of device {} {}",
        alarmId,
        check.get().deviceId(),
        verdict.get().passed() ? "passed" : "failed: " + verdict.get().failures());
    return true;
  }

  private static Optional<PendingCheck> lock(Connection c, long alarmId) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT "
                + PendingCheck.COLUMNS
                + " FROM health_checks WHERE alarm_id = ? AND status = 'pending'"
                + " FOR UPDATE SKIP LOCKED")) {
      select.setLong(1, alarmId);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? Optional.of(PendingCheck.read(rs)) : Optional.empty();
      }
    }
  }

  private static void record(Connection c, long alarmId, HealthVerdict verdict, Instant now)
      throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE health_checks SET status = ?, decided_at = ?, evidence = ?::jsonb"
                + " WHERE alarm_id = ?")) {
      update.setString(1, verdict.passed() ? "passed" : "failed");
      update.setTimestamp(2, Timestamp.from(now));
      update.setString(3, verdict.evidence().toString());
      update.setLong(4, alarmId);
      update.executeUpdate();
    }
  }

  private static TicketRequest.Fault fault(PendingCheck check) {
    return new TicketRequest.Fault(
        check.deviceId(),
        check.alarmId(),
        check.ruleId(),
        Category.fromWireName(check.category()),
        Severity.fromWireName(check.severity()));
  }
}
