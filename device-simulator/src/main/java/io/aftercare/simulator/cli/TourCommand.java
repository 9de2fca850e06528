package io.aftercare.simulator.cli;

import io.aftercare.domain.Durations;
import io.aftercare.simulator.platform.ServiceDeskApi;
import io.aftercare.simulator.tour.ServiceDeskTour;
import io.aftercare.simulator.tour.TourReport;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tour}: the service desk shown step by step against a running platform and fleet. */
@Command(
    name = "tour",
    mixinStandardHelpOptions = true,
    description =
        "Walk through the service desk of a running platform, narrating what it answers: the"
            + " jammed lock's one ticket, a customer-reported case, a quote accepted through the"
            + " customer's link, a complaint's clock, the KPI series.")
public final class TourCommand implements Callable<Integer> {

  /** Exit code when the tour could not show every step. */
  static final int INCOMPLETE = 1;

  @Mixin PlatformOptions platform;

  @Option(
      names = "--wait",
      defaultValue = "5m",
      description = "How long to wait for the fleet's jammed lock (default: ${DEFAULT-VALUE})")
  String wait;

  @Option(
      names = "--poll",
      defaultValue = "5s",
      description = "How often to look while waiting (default: ${DEFAULT-VALUE})")
  String poll;

  @Option(
      names = "--run-tag",
      description =
          "Part of the ids of the device and staff account the tour creates (default: the time,"
              + " in base 36)")
  String runTag;

  @Override
  public Integer call() throws InterruptedException {
    String tag = runTag != null ? runTag : Long.toString(System.currentTimeMillis() / 1000, 36);
    TourReport report =
        new ServiceDeskTour(
                new ServiceDeskApi(platform.api, platform.requireAdminToken()),
                System.out,
                Durations.parse(wait),
                Durations.parse(poll),
                tag,
                Clock.systemUTC())
            .run();
    return report.complete() ? 0 : INCOMPLETE;
  }
}
