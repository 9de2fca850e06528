package io.aftercare.simulator.scenario;

import java.util.List;

/**
 * An outage of whole homes: every device of the selected homes goes silent at {@code startAfter}
 * and comes back {@code lasts} later. See docs/simulator.md, "Outages".
 *
 * @param startAfter offset from the start of the run, e.g. {@code 2m}
 * @param lasts how long the homes stay without power, e.g. {@code 20m}
 */
public record OutageSpec(OutageKind outage, HomeSelector select, String startAfter, String lasts) {

  /**
   * Picks homes: explicit {@code ids} (without the prefix, e.g. {@code home-003}), {@code count}
   * homes chosen by the seed, or every home of a {@code region} (a regional outage).
   */
  public record HomeSelector(List<String> ids, Integer count, String region) {}
}
