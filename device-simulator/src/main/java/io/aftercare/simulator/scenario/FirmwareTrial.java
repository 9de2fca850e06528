package io.aftercare.simulator.scenario;

import io.aftercare.simulator.device.DeviceType;
import io.aftercare.simulator.link.Protocol;
import java.util.List;

/**
 * A scenario's firmware trial: devices of one model split among firmware versions, each version
 * with its own rate of overheat episodes, so that the platform's firmware regression guard can be
 * checked against a known truth (docs/simulator.md, scenario firmware-regression). Each device is
 * provisioned with its version's firmware and, while the run lasts, overheats in episodes: it runs
 * hot for {@code heatFor}, then stays cool for {@code coolFor}, then waits an exponentially
 * distributed time of mean 1 / rate before the next episode (a Poisson process in its cool time).
 *
 * @param model the model all trial devices are provisioned with
 * @param type camera or hub (the types that can overheat in episodes); hub when absent
 * @param protocol mqtt3 when absent
 * @param interval reporting interval, e.g. {@code 15s}; the type's default when absent
 * @param rule the rule whose rate the trial is about, as the platform names it (what {@code score}
 *     reads from the firmware comparison)
 * @param heatFor how long an episode runs hot: longer than the rule's hold time plus a report
 * @param coolFor how long a device stays cool after an episode: at least two reports, so that the
 *     alarm clears and every episode is one alarm
 * @param versions in release order; a version whose rate is above its predecessor's is the ground
 *     truth's regression
 */
public record FirmwareTrial(
    String model,
    DeviceType type,
    Protocol protocol,
    String interval,
    String rule,
    String heatFor,
    String coolFor,
    List<Version> versions) {

  public FirmwareTrial {
    type = type == null ? DeviceType.HUB : type;
    protocol = protocol == null ? Protocol.MQTT3 : protocol;
    versions = versions == null ? List.of() : List.copyOf(versions);
  }

  /**
   * @param devices how many devices run it
   * @param episodesPerDeviceHour the rate of overheat episodes per hour of a device's cool time
   */
  public record Version(String firmware, int devices, double episodesPerDeviceHour) {}
}
