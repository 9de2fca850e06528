package io.aftercare.platform.sessions;

import io.aftercare.platform.alarms.AlarmView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A device's health from 0 (needs a visit) to 100 (nothing wrong), with the reasons behind the
 * number: each open alarm costs by severity, being offline costs too. A number alone would tell a
 * technician nothing; the reasons say where to look.
 */
public final class HealthScore {

  /** The score and, worst first, what lowered it. */
  public record Health(int score, List<String> reasons) {}

  private static final Duration LONG_SILENCE = Duration.ofHours(24);

  /**
   * The same score as {@link #of} computed by the database for a row of {@code devices}, so the
   * fleet list can filter on it: the costs below must stay those of {@link #cost} and the offline
   * branch. Its one parameter is the time "now" ({@code timestamptz}). DeviceListTest compares the
   * two through the API.
   */
  public static final String SQL =
      "greatest(0, 100"
          + " - coalesce((SELECT sum(CASE h.severity WHEN 'critical' THEN 60 WHEN 'major' THEN 30"
          + " WHEN 'minor' THEN 15 ELSE 5 END) FROM alarms h"
          + " WHERE h.device_id = devices.id AND h.status <> 'cleared'), 0)"
          + " - CASE WHEN devices.online THEN 0 WHEN devices.last_seen_at IS NULL THEN 10"
          + " WHEN devices.last_seen_at < ?::timestamptz - interval '24 hours' THEN 30 ELSE 10 END)";

  private HealthScore() {}

  public static Health of(
      List<AlarmView> openAlarms, boolean online, Instant lastSeenAt, Instant now) {
    int score = 100;
    List<String> reasons = new ArrayList<>();
    List<AlarmView> worstFirst = new ArrayList<>(openAlarms);
    worstFirst.sort((a, b) -> Integer.compare(cost(b.severity()), cost(a.severity())));
    for (AlarmView alarm : worstFirst) {
      score -= cost(alarm.severity());
      reasons.add(
          alarm.severity()
              + " alarm "
              + alarm.ruleId()
              + ": "
              + alarm.description()
              + (alarm.status().equals("acknowledged") ? " (acknowledged)" : ""));
    }
    if (!online) {
      if (lastSeenAt == null) {
        score -= 10;
        reasons.add("never connected");
      } else if (Duration.between(lastSeenAt, now).compareTo(LONG_SILENCE) > 0) {
        score -= 30;
        reasons.add("offline, last seen " + lastSeenAt);
      } else {
        score -= 10;
        reasons.add("offline since " + lastSeenAt);
      }
    }
    return new Health(Math.max(0, score), List.copyOf(reasons));
  }

  private static int cost(String severity) {
    return switch (severity) {
      case "critical" -> 60;
      case "major" -> 30;
      case "minor" -> 15;
      default -> 5;
    };
  }
}
