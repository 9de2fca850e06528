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

  /** The most being offline costs: a device offline alone scores at least 100 minus this. */
  private static final int MOST_OFFLINE_COSTS = 30;

  /**
   * The same score as {@link #of} computed by the database for a row of {@code devices} joined with
   * {@link #OPEN_ALARM_COSTS} as {@code open_alarms} (see {@link #join}), so the fleet list can
   * filter on it: the costs below must stay those of {@link #cost} and the offline branch. Its one
   * parameter is the time "now" ({@code timestamptz}). DeviceListTest compares the two through the
   * API.
   */
  public static final String SQL =
      "greatest(0, 100 - coalesce(open_alarms.cost, 0)"
          + " - CASE WHEN devices.online THEN 0 WHEN devices.last_seen_at IS NULL THEN 10"
          + " WHEN devices.last_seen_at < ?::timestamptz - interval '24 hours' THEN "
          + MOST_OFFLINE_COSTS
          + " ELSE 10 END)";

  /** What a device's open alarms cost together, per device with one (V70's alarms_device_open). */
  private static final String OPEN_ALARM_COST =
      "sum(CASE severity WHEN 'critical' THEN 60 WHEN 'major' THEN 30 WHEN 'minor' THEN 15"
          + " ELSE 5 END)";

  /**
   * What the fleet list's {@code FROM devices} is joined with to filter on a score below {@code
   * below} (1 to 100): the open alarms' costs as {@code open_alarms}, aggregated once rather than
   * by a subquery per device, and only for devices that can score that low. Below 100 only a device
   * that lost points can: one with an open alarm or offline ({@link #candidates}). At {@code 100 -
   * }{@link #MOST_OFFLINE_COSTS} or below, being offline is not enough: only devices whose alarms
   * cost more than being offline can spare, an inner join with few rows, so the list reads those
   * devices by key instead of the fleet.
   */
  public static String join(int below) {
    if (below > 100 - MOST_OFFLINE_COSTS) {
      return " LEFT JOIN (SELECT device_id, "
          + OPEN_ALARM_COST
          + " AS cost FROM alarms WHERE status <> 'cleared' GROUP BY device_id) open_alarms"
          + " ON open_alarms.device_id = devices.id";
    }
    return " JOIN (SELECT device_id, "
        + OPEN_ALARM_COST
        + " AS cost FROM alarms WHERE status <> 'cleared' GROUP BY device_id HAVING "
        + OPEN_ALARM_COST
        + " > "
        + (100 - MOST_OFFLINE_COSTS - below)
        + ") open_alarms ON open_alarms.device_id = devices.id";
  }

  /**
   * What {@code FROM devices} is joined with to score the devices named by one array parameter
   * ({@code text[]}): their open alarms' costs as {@code open_alarms.cost} and their count as
   * {@code open_alarms.alarms}, aggregated for those devices only.
   */
  public static final String JOIN_FOR_DEVICES =
      " LEFT JOIN (SELECT device_id, "
          + OPEN_ALARM_COST
          + " AS cost, count(*) AS alarms FROM alarms WHERE status <> 'cleared'"
          + " AND device_id = ANY(?) GROUP BY device_id) open_alarms"
          + " ON open_alarms.device_id = devices.id";

  /** The condition (" AND ...") going with {@link #join}: the devices that can score below. */
  public static String candidates(int below) {
    return below > 100 - MOST_OFFLINE_COSTS
        ? " AND (open_alarms.device_id IS NOT NULL OR NOT devices.online)"
        : "";
  }

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
        score -= MOST_OFFLINE_COSTS;
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
