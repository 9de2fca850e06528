package io.aftercare.diagnostics.alarm;

import io.aftercare.diagnostics.DeviceProfile;
import io.aftercare.diagnostics.eval.Forecast;
import io.aftercare.diagnostics.rules.Severity;
import java.time.Instant;

/**
 * The persisted state of one open alarm: what the integrator stores, and what it hands back to
 * {@code DiagnosticsEngine.restore} after a restart.
 *
 * @param acknowledgedAt {@code null} unless the status is ACKNOWLEDGED
 * @param acknowledgedBy {@code null} unless the status is ACKNOWLEDGED
 * @param forecast a forecast rule's latest estimate of when its limit is reached; {@code null} for
 *     other rules
 */
public record AlarmSnapshot(
    DeviceProfile device,
    String ruleId,
    Severity severity,
    AlarmStatus status,
    Instant raisedAt,
    Instant lastSeenAt,
    long count,
    double lastValue,
    double peakValue,
    Instant acknowledgedAt,
    String acknowledgedBy,
    Forecast forecast) {}
