package io.aftercare.simulator.score;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The homes of a run (from the {@code home} and {@code region} of its device lines) and the outages
 * that silenced them (its {@code outage} lines).
 *
 * @param homeOfDevice device id → home id, for the devices in a home
 * @param regionOfHome home id → region, for the homes in a region
 */
public record HomeTruth(
    Map<String, String> homeOfDevice,
    Map<String, String> regionOfHome,
    List<InjectedOutage> outages) {

  public HomeTruth {
    homeOfDevice = Collections.unmodifiableMap(new LinkedHashMap<>(homeOfDevice));
    regionOfHome = Collections.unmodifiableMap(new LinkedHashMap<>(regionOfHome));
    outages = List.copyOf(outages);
  }

  /** A run without homes. */
  public static HomeTruth none() {
    return new HomeTruth(Map.of(), Map.of(), List.of());
  }

  /**
   * An outage of whole homes: from {@code startAt} to {@code endAt} every device of {@code homes}
   * had no power.
   *
   * @param region the region all of whose homes it hit; empty for an outage of single homes
   */
  public record InjectedOutage(
      String kind,
      Optional<String> region,
      List<String> homes,
      List<String> devices,
      Instant startAt,
      Instant endAt) {

    public InjectedOutage {
      homes = List.copyOf(homes);
      devices = List.copyOf(devices);
    }

    public boolean regional() {
      return region.isPresent();
    }
  }

  public boolean hasHomes() {
    return !homeOfDevice.isEmpty();
  }

  /** The homes of these devices (those in a home). */
  public Set<String> homesOf(List<String> deviceIds) {
    return deviceIds.stream()
        .map(homeOfDevice::get)
        .filter(home -> home != null)
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }
}
