package io.aftercare.simulator.testing;

import io.aftercare.simulator.scenario.HomeSpec;
import io.aftercare.simulator.scenario.OutageSpec;
import io.aftercare.simulator.scenario.Scenario;
import java.util.List;

/**
 * A bundled outage scenario with its clocks shortened for a test: the same homes, devices and
 * selected homes (same seed), but reports every {@code interval} and outages of seconds, against a
 * platform whose {@code device_offline} raises after 2 s ({@code QuickOfflineRules}).
 */
public final class QuickOutages {

  private QuickOutages() {}

  public static Scenario of(Scenario scenario, String interval, String startAfter, String lasts) {
    HomeSpec homes = scenario.homes();
    List<HomeSpec.HomeDevice> devices =
        homes.devices().stream()
            .map(d -> new HomeSpec.HomeDevice(d.type(), d.protocol(), interval, d.weight()))
            .toList();
    List<OutageSpec> outages =
        scenario.outages().stream()
            .map(o -> new OutageSpec(o.outage(), o.select(), startAfter, lasts))
            .toList();
    return new Scenario(
        scenario.name(),
        scenario.seed(),
        scenario.idPrefix(),
        scenario.fleet(),
        scenario.faults(),
        new HomeSpec(homes.count(), homes.devicesPerHome(), devices, homes.regions()),
        outages,
        scenario.firmwareTrial());
  }
}
