package io.aftercare.simulator.scenario;

import io.aftercare.simulator.device.DeviceType;
import io.aftercare.simulator.fault.FaultKind;
import io.aftercare.simulator.link.Protocol;
import java.util.List;

/**
 * A scenario file: which fleet to run and which faults to inject when. See
 * src/main/resources/scenarios/demo.yaml and docs/simulator.md.
 *
 * @param seed makes fleet values and fault selection repeat exactly
 * @param idPrefix put before every device id, so several runs can share a platform
 * @param homes devices grouped into homes and regions, besides {@code fleet}; absent: none
 * @param outages outages of whole homes or regions
 * @param firmwareTrial devices of one model on several firmware versions that overheat at known
 *     rates, besides {@code fleet}; absent: none
 */
public record Scenario(
    String name,
    long seed,
    String idPrefix,
    List<FleetGroup> fleet,
    List<FaultSpec> faults,
    HomeSpec homes,
    List<OutageSpec> outages,
    FirmwareTrial firmwareTrial) {

  public Scenario {
    idPrefix = idPrefix == null ? "" : idPrefix;
    fleet = fleet == null ? List.of() : List.copyOf(fleet);
    faults = faults == null ? List.of() : List.copyOf(faults);
    outages = outages == null ? List.of() : List.copyOf(outages);
  }

  /** A fleet without homes and without a firmware trial. */
  public Scenario(
      String name, long seed, String idPrefix, List<FleetGroup> fleet, List<FaultSpec> faults) {
    this(name, seed, idPrefix, fleet, faults, null, List.of(), null);
  }

  /**
   * Devices of one type on one protocol.
   *
   * @param interval reporting interval such as {@code 10s}; the type's default when absent
   */
  public record FleetGroup(DeviceType type, int count, Protocol protocol, String interval) {}

  /**
   * One fault to inject.
   *
   * @param select which devices get it
   * @param startAfter offset from the start of the run, e.g. {@code 90s}
   * @param curedBy the catalog command that cures it, or absent when no remote fix exists
   */
  public record FaultSpec(FaultKind fault, Selector select, String startAfter, String curedBy) {}

  /**
   * Picks devices: explicit {@code ids} (without the prefix), or {@code count} devices chosen by
   * the seed among those of {@code type} (any type when absent) that can have the fault.
   */
  public record Selector(List<String> ids, DeviceType type, Integer count) {}
}
