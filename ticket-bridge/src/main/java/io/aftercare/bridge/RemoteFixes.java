package io.aftercare.bridge;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

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
}
