package io.aftercare.platform.metrics;

import io.aftercare.bridge.DeliveryTally;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

/** The service desk's helpdesk delivery attempts by outcome, exported at /metrics. */
public final class DeliveryMetrics {

  private DeliveryMetrics() {}

  public static void bindTo(DeliveryTally tally, MeterRegistry meters) {
    for (DeliveryTally.Outcome outcome : DeliveryTally.Outcome.values()) {
      FunctionCounter.builder(
              "aftercare.outbox.deliveries", tally, deliveries -> deliveries.count(outcome))
          .description(
              "Helpdesk webhook delivery attempts since start-up, by outcome: delivered, retry"
                  + " (failed, tried again later), dead (failed, given up on)")
          .tag("outcome", outcome.label())
          .register(meters);
    }
  }
}
