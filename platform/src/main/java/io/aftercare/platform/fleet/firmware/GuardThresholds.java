package io.aftercare.platform.fleet.firmware;

/**
 * When a comparison may conclude, and how sure it must be.
 *
 * @param minDeviceDays each of the two versions needs at least this exposure
 * @param minAlarms the two versions need at least this many alarms together
 * @param significance α: the test's threshold, and 1 - α the intervals' confidence
 */
public record GuardThresholds(double minDeviceDays, long minAlarms, double significance) {}
