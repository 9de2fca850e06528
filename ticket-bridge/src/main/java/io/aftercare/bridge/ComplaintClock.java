package io.aftercare.bridge;

import java.time.Duration;
import java.time.Instant;

/**
 * The response clock of a complaint (docs/complaints.md): from receipt to the answer to the
 * customer, 24 h by default, in calendar time.
 */
final class ComplaintClock {

  private final Duration target;
  private final double warningRatio;

  ComplaintClock(BridgeConfig.Complaints targets, double warningRatio) {
    this.target = targets.respond();
    this.warningRatio = warningRatio;
  }

  SlaClock measure(Complaint complaint, Instant now) {
    return DeadlineClock.measure(
        target, complaint.receivedAt(), complaint.respondedAt(), now, warningRatio);
  }
}
