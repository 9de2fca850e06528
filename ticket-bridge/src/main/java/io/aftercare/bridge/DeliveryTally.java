package io.aftercare.bridge;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Helpdesk delivery attempts since start-up, by outcome, for the platform's {@code /metrics}. Only
 * committed outcomes are counted. Delivered events are deleted after a while (docs/retention.md),
 * so this cannot be counted from the outbox table.
 */
public final class DeliveryTally {

  /** What became of one attempt. */
  public enum Outcome {
    /** The helpdesk took the event. */
    DELIVERED,
    /** It failed and will be tried again. */
    RETRY,
    /** It failed and was given up on (refused, endpoint gone, or the retry horizon passed). */
    DEAD;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Map<Outcome, LongAdder> counts = new EnumMap<>(Outcome.class);

  DeliveryTally() {
    for (Outcome outcome : Outcome.values()) {
      counts.put(outcome, new LongAdder());
    }
  }

  void record(Outcome outcome) {
    counts.get(outcome).increment();
  }

  public long count(Outcome outcome) {
    return counts.get(outcome).sum();
  }
}
