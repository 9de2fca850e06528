package io.aftercare.simulator.scenario;

import io.aftercare.simulator.device.DeviceType;
import io.aftercare.simulator.link.Protocol;
import java.util.List;

/**
 * The homes of a scenario: how many, how many devices each (drawn between the two bounds of {@code
 * devicesPerHome}), which products they hold ({@code devices}, drawn by weight) and the service
 * regions they lie in. See docs/simulator.md, "Homes and regions".
 *
 * @param count how many homes; absent, the sum of the regions' fixed {@code homes}
 * @param devicesPerHome {@code [min, max]}, inclusive; absent, one device per home
 */
public record HomeSpec(
    Integer count, List<Integer> devicesPerHome, List<HomeDevice> devices, List<Region> regions) {

  public HomeSpec {
    devicesPerHome = devicesPerHome == null ? List.of(1, 1) : List.copyOf(devicesPerHome);
    devices = devices == null ? List.of() : List.copyOf(devices);
    regions = regions == null ? List.of() : List.copyOf(regions);
  }

  /**
   * One product a home's devices are drawn from.
   *
   * @param interval reporting interval such as {@code 10s}; the type's default when absent
   * @param weight how often it is drawn relative to the others; 1 when absent
   */
  public record HomeDevice(DeviceType type, Protocol protocol, String interval, Integer weight) {}

  /**
   * A service region: given exactly {@code homes} homes, or a share of the homes not given to a
   * region that way, by {@code weight}.
   */
  public record Region(String name, Integer homes, Integer weight) {}
}
