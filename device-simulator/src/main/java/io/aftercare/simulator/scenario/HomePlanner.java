package io.aftercare.simulator.scenario;

import io.aftercare.domain.Durations;
import io.aftercare.simulator.scenario.FleetPlan.PlannedDevice;
import io.aftercare.simulator.scenario.FleetPlan.PlannedHome;
import io.aftercare.simulator.scenario.FleetPlan.PlannedOutage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Expands a scenario's {@code homes} into homes with their devices, customers and regions, and its
 * {@code outages} into the homes and devices they silence. Draws from the planner's {@link Random}
 * only when the scenario has homes, so the plans of scenarios without them are unchanged.
 */
final class HomePlanner {

  private HomePlanner() {}

  /** The homes of a scenario and the devices in them, in home order. */
  record Homes(List<PlannedHome> homes, List<PlannedDevice> devices) {}

  static Homes plan(Scenario scenario, Random random) {
    HomeSpec spec = scenario.homes();
    if (spec == null) {
      return new Homes(List.of(), List.of());
    }
    if (spec.devices().isEmpty()) {
      throw new IllegalArgumentException("homes: no devices to put in them");
    }
    List<Integer> bounds = spec.devicesPerHome();
    if (bounds.size() != 2 || bounds.get(0) < 1 || bounds.get(1) < bounds.get(0)) {
      throw new IllegalArgumentException(
          "homes: devicesPerHome must be [min, max], 1 <= min <= max");
    }
    List<Optional<String>> regions = regions(spec, random);
    int totalWeight = spec.devices().stream().mapToInt(HomePlanner::weight).sum();
    List<PlannedHome> homes = new ArrayList<>();
    List<PlannedDevice> devices = new ArrayList<>();
    for (int h = 1; h <= regions.size(); h++) {
      String home = String.format(Locale.ROOT, "%shome-%03d", scenario.idPrefix(), h);
      int count = bounds.get(0) + random.nextInt(bounds.get(1) - bounds.get(0) + 1);
      List<String> ids = new ArrayList<>();
      for (int d = 1; d <= count; d++) {
        HomeSpec.HomeDevice product = draw(spec.devices(), totalWeight, random);
        String id = (home + "-" + product.type().id() + "-" + d).replace('_', '-');
        Duration interval =
            product.interval() == null
                ? product.type().defaultInterval()
                : Durations.parse(product.interval());
        devices.add(
            new PlannedDevice(id, product.type(), product.protocol(), interval, random.nextLong()));
        ids.add(id);
      }
      String customer = String.format(Locale.ROOT, "%scustomer-%03d", scenario.idPrefix(), h);
      homes.add(new PlannedHome(home, customer, regions.get(h - 1), ids));
    }
    return new Homes(homes, devices);
  }

  /**
   * The region of each home, shuffled by the seed: the regions' fixed numbers of homes first, the
   * rest drawn by weight; no region at all when the scenario names none.
   */
  private static List<Optional<String>> regions(HomeSpec spec, Random random) {
    int fixed = spec.regions().stream().mapToInt(r -> r.homes() == null ? 0 : r.homes()).sum();
    int count = spec.count() == null ? fixed : spec.count();
    if (count < 1 || count < fixed) {
      throw new IllegalArgumentException(
          "homes: count " + count + " is less than the regions' " + fixed + " homes, or none");
    }
    List<Optional<String>> regions = new ArrayList<>();
    List<HomeSpec.Region> weighted = new ArrayList<>();
    for (HomeSpec.Region region : spec.regions()) {
      if (region.name() == null || region.name().isBlank()) {
        throw new IllegalArgumentException("homes: a region without a name");
      }
      if (region.homes() != null) {
        regions.addAll(Collections.nCopies(region.homes(), Optional.of(region.name())));
      } else {
        weighted.add(region);
      }
    }
    int rest = count - fixed;
    if (spec.regions().isEmpty()) {
      regions.addAll(Collections.nCopies(rest, Optional.empty()));
    } else if (rest > 0) {
      if (weighted.isEmpty()) {
        throw new IllegalArgumentException(
            "homes: " + rest + " homes left over and no region with a weight to take them");
      }
      int totalWeight = weighted.stream().mapToInt(r -> r.weight() == null ? 1 : r.weight()).sum();
      for (int i = 0; i < rest; i++) {
        int pick = random.nextInt(totalWeight);
        for (HomeSpec.Region region : weighted) {
          pick -= region.weight() == null ? 1 : region.weight();
          if (pick < 0) {
            regions.add(Optional.of(region.name()));
            break;
          }
        }
      }
    }
    Collections.shuffle(regions, random);
    return regions;
  }

  private static HomeSpec.HomeDevice draw(
      List<HomeSpec.HomeDevice> products, int totalWeight, Random random) {
    int pick = random.nextInt(totalWeight);
    for (HomeSpec.HomeDevice product : products) {
      pick -= weight(product);
      if (pick < 0) {
        return product;
      }
    }
    throw new IllegalStateException("weights changed while drawing");
  }

  private static int weight(HomeSpec.HomeDevice product) {
    if (product.type() == null || product.protocol() == null) {
      throw new IllegalArgumentException("homes: every device needs a type and a protocol");
    }
    int weight = product.weight() == null ? 1 : product.weight();
    if (weight < 1) {
      throw new IllegalArgumentException("homes: a device weight below 1");
    }
    return weight;
  }

  /** The scenario's outages over the planned homes, in the scenario's order. */
  static List<PlannedOutage> outages(Scenario scenario, List<PlannedHome> homes, Random random) {
    List<PlannedOutage> outages = new ArrayList<>();
    for (OutageSpec spec : scenario.outages()) {
      if (spec.outage() == null || spec.select() == null || spec.lasts() == null) {
        throw new IllegalArgumentException("an outage needs outage, select and lasts");
      }
      OutageSpec.HomeSelector select = spec.select();
      List<PlannedHome> hit = select(scenario, select, homes, random);
      Duration start =
          spec.startAfter() == null ? Duration.ZERO : Durations.parse(spec.startAfter());
      outages.add(
          new PlannedOutage(
              spec.outage(),
              Optional.ofNullable(select.region()),
              hit.stream().map(PlannedHome::id).toList(),
              hit.stream().flatMap(h -> h.deviceIds().stream()).toList(),
              start,
              Durations.parse(spec.lasts())));
    }
    return outages;
  }

  private static List<PlannedHome> select(
      Scenario scenario, OutageSpec.HomeSelector select, List<PlannedHome> homes, Random random) {
    if (select.region() != null) {
      List<PlannedHome> inRegion =
          homes.stream().filter(h -> h.region().equals(Optional.of(select.region()))).toList();
      if (inRegion.isEmpty()) {
        throw new IllegalArgumentException(
            "outage selects region " + select.region() + ": no homes");
      }
      return inRegion;
    }
    if (select.ids() != null) {
      Map<String, PlannedHome> byId = new LinkedHashMap<>();
      homes.forEach(h -> byId.put(h.id(), h));
      List<PlannedHome> chosen = new ArrayList<>();
      for (String id : select.ids()) {
        PlannedHome home = byId.get(scenario.idPrefix() + id);
        if (home == null) {
          throw new IllegalArgumentException("outage selects unknown home " + id);
        }
        chosen.add(home);
      }
      return chosen;
    }
    int count = select.count() == null ? 1 : select.count();
    if (count > homes.size()) {
      throw new IllegalArgumentException(
          "outage wants " + count + " homes, the scenario has " + homes.size());
    }
    List<PlannedHome> candidates = new ArrayList<>(homes);
    Collections.shuffle(candidates, random);
    return candidates.subList(0, count);
  }
}
