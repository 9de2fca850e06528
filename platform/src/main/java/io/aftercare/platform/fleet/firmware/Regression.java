package io.aftercare.platform.fleet.firmware;

import java.time.Instant;
import java.util.List;

/** A version found significantly worse than its predecessor on one rule, over [from, to). */
record Regression(
    String model,
    String firmware,
    String ruleId,
    RateEstimate current,
    RateEstimate previous,
    RateComparison comparison,
    Instant from,
    Instant to,
    double significance) {

  List<String> key() {
    return List.of(model, firmware, ruleId);
  }
}
