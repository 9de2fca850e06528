package io.aftercare.platform.fleet.firmware;

import io.aftercare.bridge.lease.DutyLeases;
import io.aftercare.platform.db.Jdbc;
import io.aftercare.platform.fleet.firmware.FirmwareComparisons.ModelReport;
import io.aftercare.platform.fleet.firmware.FirmwareComparisons.RuleRate;
import io.aftercare.platform.fleet.firmware.FirmwareComparisons.VersionReport;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster-wide duty of the firmware regression guard: every {@code evaluateEvery}, on the node
 * holding its lease, compares every model's versions over the last {@code period} and makes the
 * fleet-level alarms match what it finds worse: one per (model, version, rule), raised once, its
 * evidence refreshed each round, cleared when the version is no longer found worse (its rate came
 * down, or its predecessor's data aged out of the period).
 */
public final class FirmwareRegressionGuard {

  private static final Logger LOG = LoggerFactory.getLogger(FirmwareRegressionGuard.class);

  static final String DUTY = "firmware-regression-guard";

  private final Vertx vertx;
  private final Jdbc jdbc;
  private final Clock clock;
  private final GuardThresholds limits;
  private final Duration period;
  private boolean running;
  private DutyLeases.Lease lease;

  public FirmwareRegressionGuard(
      Vertx vertx, Jdbc jdbc, Clock clock, GuardThresholds limits, Duration period) {
    this.vertx = vertx;
    this.jdbc = jdbc;
    this.clock = clock;
    this.limits = limits;
    this.period = period;
  }

  /**
   * Starts the rounds, the first at once (a node alone holds the lease from the start, so a restart
   * does not leave the alarms a whole interval behind), then every {@code interval}, while this
   * node holds the duty's lease.
   */
  public void start(DutyLeases leases, Duration interval) {
    lease = leases.lease(DUTY);
    evaluateOnce();
    vertx.setPeriodic(interval.toMillis(), id -> evaluateOnce());
  }

  private void evaluateOnce() {
    if (running || !lease.held()) {
      return; // the previous round still runs, or another node evaluates
    }
    running = true;
    Instant to = clock.instant();
    Instant from = to.minus(period);
    jdbc.transaction(c -> evaluate(c, from, to))
        .onComplete(
            result -> {
              running = false;
              if (result.failed()) {
                LOG.warn("Firmware regression guard failed: {}", result.cause().getMessage());
                return;
              }
              for (RegressionAlarm alarm : result.result().raised()) {
                LOG.warn(
                    "Firmware {} of {} raises {} significantly more often than {}: fleet alarm {}",
                    alarm.firmware(),
                    alarm.model(),
                    alarm.ruleId(),
                    alarm.previousFirmware(),
                    alarm.id());
              }
              for (RegressionAlarm alarm : result.result().cleared()) {
                LOG.info("Firmware regression alarm {} cleared", alarm.id());
              }
            });
  }

  private RegressionAlarms.Round evaluate(Connection c, Instant from, Instant to)
      throws SQLException {
    List<ModelReport> models = FirmwareFleet.report(c, from, to, null, null, limits);
    return RegressionAlarms.reconcile(c, regressions(models, from, to), to);
  }

  /** The comparisons whose verdict is worse, with both rates as evidence. */
  private List<Regression> regressions(List<ModelReport> models, Instant from, Instant to) {
    List<Regression> regressions = new ArrayList<>();
    for (ModelReport model : models) {
      Map<String, RateEstimate> previousRates = new HashMap<>();
      for (VersionReport version : model.versions()) {
        Map<String, RateEstimate> rates = new HashMap<>();
        for (RuleRate rule : version.rules()) {
          rates.put(rule.ruleId(), rule.rate());
          if (rule.comparison() != null && rule.comparison().verdict() == Verdict.WORSE) {
            regressions.add(
                new Regression(
                    model.model(),
                    version.firmware(),
                    rule.ruleId(),
                    rule.rate(),
                    previousRates.get(rule.ruleId()),
                    rule.comparison(),
                    from,
                    to,
                    limits.significance()));
          }
        }
        previousRates = rates;
      }
    }
    return regressions;
  }
}
