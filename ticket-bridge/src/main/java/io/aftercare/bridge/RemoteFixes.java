package io.aftercare.bridge;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Faults the platform fixed remotely without anyone opening a ticket: cases for the customer all
 * the same, so the remote-resolution KPI counts them. The platform implements this over its alarms
 * (the bridge knows nothing of alarms or rules); it reads in the KPI computation's transaction, so
 * tickets and fixes are one snapshot.
 */
public interface RemoteFixes {

  /**
   * One remotely fixed fault, with the dimensions the KPIs are broken down by.
   *
   * @param raisedAt when the fault was detected: the KPIs count cases by when they were opened
   */
  record Fix(
      Instant raisedAt,
      String deviceType,
      String model,
      String firmware,
      String ruleId,
      String category) {}

  /** Faults detected in [from, to) that were fixed remotely and never became (or joined) a case. */
  List<Fix> detectedBetween(Connection c, Instant from, Instant to) throws SQLException;

  /**
   * How many of those faults one period and one group hold.
   *
   * @param period the index of the period in the bounds given to {@link #countedPer}
   * @param key the group's key ({@link KpiDimension#of(Fix)}); null for no breakdown, or a fix
   *     without a value
   */
  record Count(int period, String key, int fixes) {}

  /**
   * The faults {@link #detectedBetween} returns, counted per period and group. This counts them one
   * by one; an implementation over a database should count there instead (a daily series over
   * months of fixes needs a few hundred counts, not every fix), with the same result.
   *
   * @param bounds ascending instants; period i is [bounds[i], bounds[i + 1])
   * @param groupBy the breakdown, or null for one count per period (key null)
   */
  default List<Count> countedPer(Connection c, List<Instant> bounds, KpiDimension groupBy)
      throws SQLException {
    record Group(int period, String key) {}
    Map<Group, Integer> counts = new LinkedHashMap<>();
    for (Fix fix : detectedBetween(c, bounds.get(0), bounds.get(bounds.size() - 1))) {
      int found = Collections.binarySearch(bounds, fix.raisedAt());
      // Not a bound itself: the period is the one starting at the bound before it.
      int period = found >= 0 ? found : -found - 2;
      counts.merge(new Group(period, groupBy == null ? null : groupBy.of(fix)), 1, Integer::sum);
    }
    List<Count> result = new ArrayList<>();
    counts.forEach((group, fixes) -> result.add(new Count(group.period(), group.key(), fixes)));
    return result;
  }
}
