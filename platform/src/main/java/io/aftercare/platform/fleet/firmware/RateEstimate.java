package io.aftercare.platform.fleet.firmware;

/**
 * A count of alarms over an exposure, as a rate per 1,000 device-days with its interval; the rate
 * and bounds are null when there was no exposure.
 */
public record RateEstimate(
    long alarms, double deviceDays, Double perThousandDeviceDays, Double low, Double high) {}
