package io.aftercare.platform.metrics;

import io.aftercare.bridge.LabelledCount;
import io.aftercare.bridge.ServiceDeskCounts;
import io.aftercare.platform.db.Jdbc;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alarm, ticket, outbox and command series, counted in the database. A scrape never queries on
 * the event loop and never more than once per {@link #MAX_AGE}: {@link #fresh()} recounts on a
 * worker when the cached counts are older, and scrapes in between read the cache. Nobody scraping
 * means no queries at all.
 */
public final class ServiceMetrics {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceMetrics.class);

  /** How old the cached counts may be before a scrape recounts. */
  static final Duration MAX_AGE = Duration.ofSeconds(5);

  private enum Kind {
    COUNTER,
    GAUGE
  }

  private record Family(String name, Kind kind, String description) {}

  private static final Map<String, Family> FAMILIES =
      Map.of(
          ServiceCounts.ALARMS_RAISED,
          new Family(
              "aftercare.alarms.raised",
              Kind.COUNTER,
              "Alarms raised, by severity (as it stands now) and category"),
          ServiceCounts.ALARMS_CLEARED,
          new Family(
              "aftercare.alarms.cleared", Kind.COUNTER, "Alarms cleared, by severity and category"),
          ServiceCounts.ALARMS_OPEN,
          new Family(
              "aftercare.alarms.open",
              Kind.GAUGE,
              "Alarms not cleared (active or acknowledged), by severity and category"),
          ServiceCounts.COMMANDS,
          new Family(
              "aftercare.commands",
              Kind.COUNTER,
              "Commands that reached each status: queued (submitted), sent, accepted, succeeded,"
                  + " failed, timed_out, expired"),
          ServiceCounts.COMMANDS_OPEN,
          new Family(
              "aftercare.commands.open",
              Kind.GAUGE,
              "Commands not finished yet, by status (queued, sent, accepted)"),
          ServiceCounts.FIRMWARE_REGRESSIONS,
          new Family(
              "aftercare.firmware.regressions.active",
              Kind.GAUGE,
              "Firmware versions significantly worse than their predecessor on a rule: the"
                  + " firmware regression guard's active fleet alarms"),
          ServiceDeskCounts.TICKETS_OPENED,
          new Family(
              "aftercare.tickets.opened", Kind.COUNTER, "Tickets opened, by source and priority"),
          ServiceDeskCounts.TICKETS_OPEN,
          new Family(
              "aftercare.tickets.open",
              Kind.GAUGE,
              "Tickets not yet closed, cancelled or archived, by status"),
          ServiceDeskCounts.SLA_BREACHES,
          new Family(
              "aftercare.tickets.sla.breaches",
              Kind.COUNTER,
              "Tickets that breached an SLA target, by clock (response, repair)"),
          ServiceDeskCounts.OUTBOX_EVENTS,
          new Family(
              "aftercare.outbox.events",
              Kind.GAUGE,
              "Helpdesk webhook events not delivered: pending (to be tried) or dead (gave up)"));

  private record Series(String family, Tags tags) {}

  private final Jdbc jdbc;
  private final MeterRegistry meters;
  private volatile Map<Series, Double> values = Map.of();
  private Future<Void> latest;
  private long latestStarted;

  public ServiceMetrics(Jdbc jdbc, MeterRegistry meters) {
    this.jdbc = jdbc;
    this.meters = meters;
  }

  /**
   * Completes once the counts are at most {@link #MAX_AGE} old, recounting on a worker if they are
   * older; never fails: a failed count leaves the previous values (and is logged).
   */
  public synchronized Future<Void> fresh() {
    long now = System.nanoTime();
    if (latest == null || (latest.isComplete() && now - latestStarted >= MAX_AGE.toNanos())) {
      latestStarted = now;
      latest =
          jdbc.call(ServiceCounts::read)
              .map(
                  counts -> {
                    publish(counts);
                    return (Void) null;
                  })
              .recover(
                  e -> {
                    LOG.warn("could not count alarms, tickets and commands for /metrics", e);
                    return Future.succeededFuture();
                  });
    }
    return latest;
  }

  private void publish(List<LabelledCount> counts) {
    Map<Series, Double> next = new HashMap<>();
    for (LabelledCount count : counts) {
      Tags tags = Tags.empty();
      for (Map.Entry<String, String> label : count.labels().entrySet()) {
        tags = tags.and(Tag.of(label.getKey(), label.getValue()));
      }
      next.put(new Series(count.series(), tags), (double) count.value());
    }
    values = next;
    // Registering an existing series returns it: only label sets seen for the first time are new.
    next.keySet().forEach(this::register);
  }

  private void register(Series series) {
    Family family = FAMILIES.get(series.family());
    if (family.kind() == Kind.COUNTER) {
      FunctionCounter.builder(family.name(), this, metrics -> metrics.value(series))
          .description(family.description())
          .tags(series.tags())
          .register(meters);
    } else {
      Gauge.builder(family.name(), this, metrics -> metrics.value(series))
          .description(family.description())
          .tags(series.tags())
          .strongReference(true)
          .register(meters);
    }
  }

  /** A label set no longer counted (no open alarm of that kind left) reads 0. */
  private double value(Series series) {
    return values.getOrDefault(series, 0.0);
  }
}
