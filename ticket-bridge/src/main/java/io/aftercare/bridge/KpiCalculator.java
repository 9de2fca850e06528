package io.aftercare.bridge;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Computes {@link Kpis} from tickets and their status changes; no database, so it is testable. */
public final class KpiCalculator {

  /** A ticket and its timeline (the first entry being its opening). */
  public record Sample(Ticket ticket, List<TimelineEntry> timeline) {
    List<StatusChange> changes() {
      return TicketStore.statusChanges(timeline);
    }
  }

  private final SlaClocks clocks;

  public KpiCalculator(SlaClocks clocks) {
    this.clocks = clocks;
  }

  public Kpis compute(Instant from, Instant to, List<Sample> samples, Instant now) {
    List<Long> responseTimes = new ArrayList<>();
    List<Long> repairTimes = new ArrayList<>();
    int onTime = 0;
    int remote = 0;
    int firstTimeFixes = 0;
    int responseBreaches = 0;
    int repairBreaches = 0;
    int cancelled = 0;
    int scored = 0;
    int scoreSum = 0;
    Map<String, Integer> byType = new TreeMap<>();
    for (Sample sample : samples) {
      Ticket ticket = sample.ticket();
      byType.merge(ticket.deviceType(), 1, Integer::sum);
      SlaClocks.Clocks sla = clocks.compute(ticket, sample.timeline(), now);
      boolean acknowledged = acknowledged(sample.changes());
      if (acknowledged) {
        responseTimes.add(sla.response().elapsed().toSeconds());
        if (sla.response().standing() != SlaClock.Standing.BREACHED) {
          onTime++;
        }
      }
      // A case cancelled before anyone responded (e.g. self-resolved) had no response to be late.
      boolean respondable = acknowledged || ticket.status() != TicketStatus.CANCELLED;
      if (respondable && sla.response().standing() == SlaClock.Standing.BREACHED) {
        responseBreaches++;
      }
      if (sla.repair().standing() == SlaClock.Standing.BREACHED) {
        repairBreaches++;
      }
      boolean resolved =
          ticket.status() == TicketStatus.RESOLVED || ticket.status() == TicketStatus.CLOSED;
      if (resolved) {
        repairTimes.add(sla.repair().elapsed().toSeconds());
        if ("remote".equals(ticket.channel())) {
          remote++;
        }
        if (count(sample.changes(), TicketStatus.RESOLVED) == 1) {
          firstTimeFixes++;
        }
      }
      if (ticket.status() == TicketStatus.CANCELLED) {
        cancelled++;
      }
      if (ticket.satisfaction() != null) {
        scored++;
        scoreSum += ticket.satisfaction();
      }
    }
    int resolvedCount = repairTimes.size();
    return new Kpis(
        from,
        to,
        samples.size(),
        responseTimes.size(),
        rate(onTime, responseTimes.size()),
        times(responseTimes),
        resolvedCount,
        times(repairTimes),
        rate(remote, resolvedCount),
        rate(firstTimeFixes, resolvedCount),
        new Kpis.Breaches(responseBreaches, repairBreaches),
        cancelled,
        scored == 0 ? null : (double) scoreSum / scored,
        byType);
  }

  private static boolean acknowledged(List<StatusChange> changes) {
    return count(changes, TicketStatus.ACKNOWLEDGED) > 0;
  }

  private static long count(List<StatusChange> changes, TicketStatus status) {
    return changes.stream().filter(change -> change.to() == status).count();
  }

  private static Double rate(int part, int whole) {
    return whole == 0 ? null : (double) part / whole;
  }

  private static Kpis.Times times(List<Long> seconds) {
    if (seconds.isEmpty()) {
      return new Kpis.Times(0, null, null, null, null);
    }
    List<Long> sorted = new ArrayList<>(seconds);
    Collections.sort(sorted);
    double mean = sorted.stream().mapToLong(Long::longValue).average().orElseThrow();
    return new Kpis.Times(
        sorted.size(),
        mean,
        percentile(sorted, 50),
        percentile(sorted, 90),
        percentile(sorted, 95));
  }

  /** Nearest-rank percentile: the smallest sample with at least p % of samples at or below it. */
  static long percentile(List<Long> sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }
}
