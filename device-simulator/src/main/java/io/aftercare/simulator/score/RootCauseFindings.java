package io.aftercare.simulator.score;

import io.aftercare.simulator.platform.PlatformApi;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * What the platform concluded across devices: its home alarms and its incidents, via the API. Read
 * only for a run with homes: a platform from before home alarms has no such endpoint.
 */
public record RootCauseFindings(
    List<PlatformHomeAlarm> homeAlarms, List<PlatformIncident> incidents) {

  public RootCauseFindings {
    homeAlarms = List.copyOf(homeAlarms);
    incidents = List.copyOf(incidents);
  }

  public static RootCauseFindings none() {
    return new RootCauseFindings(List.of(), List.of());
  }

  public static RootCauseFindings fetch(PlatformApi api, GroundTruth truth) {
    if (!truth.homes().hasHomes()) {
      return none();
    }
    Instant from = truth.startedAt().minus(Scorer.CLOCK_TOLERANCE);
    List<PlatformHomeAlarm> homeAlarms =
        api.homeAlarms().stream().map(PlatformHomeAlarm::fromJson).toList();
    List<PlatformIncident> incidents =
        api.incidents().stream().map(PlatformIncident::fromJson).toList();
    requireWholeRun(homeAlarms, PlatformHomeAlarm::raisedAt, from, "home alarms");
    requireWholeRun(incidents, PlatformIncident::declaredAt, from, "incidents");
    return new RootCauseFindings(homeAlarms, incidents);
  }

  /**
   * These lists are one page, newest first, without a cursor: a full page whose oldest entry is
   * from the run may hide others of the run. Refuse rather than score from part of them.
   */
  static <T> void requireWholeRun(
      List<T> page, Function<T, Instant> at, Instant runStart, String what) {
    if (page.size() >= PlatformApi.maxPage()
        && !at.apply(page.get(page.size() - 1)).isBefore(runStart)) {
      throw new IllegalStateException(
          "the platform has "
              + page.size()
              + " or more "
              + what
              + " since the run started:"
              + " more than one page can show");
    }
  }
}
