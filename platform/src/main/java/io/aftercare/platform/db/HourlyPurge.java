package io.aftercare.platform.db;

import io.aftercare.bridge.lease.DutyLeases;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one retention every hour on a worker: deletes what is older than its retention period,
 * skipping a round while the previous one still deletes, or while another node holds the
 * retention's lease (one node purges for the cluster). The retentions (telemetry on plain
 * PostgreSQL, sensitive device events) differ only in what they delete.
 */
public final class HourlyPurge {

  private static final Logger LOG = LoggerFactory.getLogger(HourlyPurge.class);

  static final Duration INTERVAL = Duration.ofHours(1);

  /** Deletes what is older than {@code before}, in batches; returns how many rows went. */
  @FunctionalInterface
  public interface Deletion {
    long deleteOlderThan(Connection c, Instant before) throws SQLException;
  }

  private final String name;
  private final Vertx vertx;
  private final Jdbc jdbc;
  private final Clock clock;
  private final Duration retainFor;
  private final Deletion deletion;
  private boolean running;
  private DutyLeases.Lease lease;

  /**
   * @param name what the log calls it, e.g. "Telemetry retention"
   */
  public HourlyPurge(
      String name, Vertx vertx, Jdbc jdbc, Clock clock, Duration retainFor, Deletion deletion) {
    this.name = name;
    this.vertx = vertx;
    this.jdbc = jdbc;
    this.clock = clock;
    this.retainFor = retainFor;
    this.deletion = deletion;
  }

  /**
   * Starts the hourly rounds, which run while this node holds the lease named after the retention;
   * with {@code roundNow}, the first runs at once.
   */
  public void start(DutyLeases leases, boolean roundNow) {
    lease = leases.lease(name);
    if (roundNow) {
      purgeOnce();
    }
    vertx.setPeriodic(INTERVAL.toMillis(), id -> purgeOnce());
  }

  private void purgeOnce() {
    if (running || !lease.held()) {
      return; // the previous round is still deleting, or another node purges
    }
    running = true;
    Instant before = clock.instant().minus(retainFor);
    jdbc.call(c -> deletion.deleteOlderThan(c, before))
        .onComplete(
            result -> {
              running = false;
              if (result.failed()) {
                LOG.warn("{} failed: {}", name, result.cause().getMessage());
              } else if (result.result() > 0) {
                LOG.info("{} deleted {} rows before {}", name, result.result(), before);
              }
            });
  }
}
