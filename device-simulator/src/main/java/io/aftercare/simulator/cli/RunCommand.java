package io.aftercare.simulator.cli;

import io.aftercare.domain.Durations;
import io.aftercare.simulator.link.DeviceLinks;
import io.aftercare.simulator.platform.Credentials;
import io.aftercare.simulator.platform.PlatformApi;
import io.aftercare.simulator.platform.Provisioner;
import io.aftercare.simulator.run.FleetRunner;
import io.aftercare.simulator.scenario.FirmwareTrialPlan;
import io.aftercare.simulator.scenario.FleetPlan;
import io.aftercare.simulator.scenario.FleetPlanner;
import io.aftercare.simulator.scenario.GroundTruthLog;
import io.aftercare.simulator.scenario.Scenario;
import io.aftercare.simulator.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code run}: a scenario's fleet in real time, with its faults, until the duration ends. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Run a fleet with faults in real time.")
public final class RunCommand implements Callable<Integer> {

  @Mixin PlatformOptions platform;

  @Option(
      names = "--scenario",
      description =
          "Scenario YAML file, or classpath:NAME for a bundled one (default: ${DEFAULT-VALUE})",
      defaultValue = "classpath:demo")
  String scenario;

  @Option(
      names = "--duration",
      description = "How long to run, e.g. 10m; runs until stopped when absent")
  String duration;

  @Option(
      names = "--ground-truth",
      description = "JSON-lines file of injected faults and cures (default: ${DEFAULT-VALUE})",
      defaultValue = "ground-truth.jsonl")
  Path groundTruth;

  @Option(
      names = "--credentials",
      description =
          "JSON file of device tokens: reused when present, written after provisioning (default: ${DEFAULT-VALUE})",
      defaultValue = "sim-credentials.json")
  Path credentials;

  @Override
  public Integer call() throws Exception {
    Scenario loaded = ScenarioLoader.load(scenario);
    FleetPlan plan = FleetPlanner.plan(loaded);
    Provisioner provisioner =
        new Provisioner(
            new PlatformApi(platform.api, platform.requireAdminToken()),
            Credentials.open(credentials));
    DeviceLinks links = new DeviceLinks(platform.mqttUri(), platform.coap, platform.coaps);
    CountDownLatch stop = new CountDownLatch(1);
    try (FleetRunner runner =
        FleetRunner.start(
            plan,
            FirmwareTrialPlan.of(loaded),
            provisioner,
            links,
            new GroundTruthLog(groundTruth),
            Clock.systemUTC())) {
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
      System.out.printf(
          "run: %d devices (%d homes), %d faults and %d outages planned, ground truth in %s%n",
          runner.size(),
          plan.homes().size(),
          plan.faults().size(),
          plan.outages().size(),
          groundTruth);
      if (duration == null) {
        stop.await();
      } else {
        stop.await(Durations.parse(duration).toMillis(), TimeUnit.MILLISECONDS);
      }
    }
    return 0;
  }
}
