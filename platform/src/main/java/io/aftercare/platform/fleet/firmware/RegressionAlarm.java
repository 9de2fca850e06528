package io.aftercare.platform.fleet.firmware;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A fleet-level alarm of the firmware regression guard: {@code firmware} of {@code model} raises
 * {@code ruleId} significantly more often than {@code previousFirmware} did.
 *
 * @param evidence the last evaluation's rates, intervals, rate ratio and p-value
 * @param rollback the rollback offered to staff while the alarm is active; null when none is
 *     configured, or on a cleared alarm
 */
public record RegressionAlarm(
    long id,
    String model,
    String firmware,
    String previousFirmware,
    String ruleId,
    String status,
    Instant raisedAt,
    Instant evaluatedAt,
    Instant clearedAt,
    JsonNode evidence,
    RollbackOffer rollback) {

  /** This alarm offering {@code offer}. */
  RegressionAlarm offering(RollbackOffer offer) {
    return new RegressionAlarm(
        id,
        model,
        firmware,
        previousFirmware,
        ruleId,
        status,
        raisedAt,
        evaluatedAt,
        clearedAt,
        evidence,
        offer);
  }
}
