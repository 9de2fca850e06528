package io.aftercare.simulator.cli;

import io.aftercare.domain.Durations;
import io.aftercare.simulator.load.LoadReport;
import io.aftercare.simulator.load.LoadSettings;
import io.aftercare.simulator.load.LoadTest;
import io.aftercare.simulator.load.WatchedProcess;
import io.aftercare.simulator.platform.Credentials;
import io.aftercare.simulator.platform.PlatformApi;
import io.aftercare.simulator.platform.Provisioner;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code load}: the load test with its JSON report and one-line summary. */
@Command(
    name = "load",
    mixinStandardHelpOptions = true,
    description = "Load-test the platform and report throughput, latency, loss.")
public final class LoadCommand implements Callable<Integer> {

  @Mixin PlatformOptions platform;

  @Option(
      names = "--devices",
      defaultValue = "100",
      description = "Simulated devices (default: ${DEFAULT-VALUE})")
  int devices;

  @Option(
      names = "--protocol",
      defaultValue = "mqtt",
      description = "mqtt, coap or mixed (default: ${DEFAULT-VALUE})")
  String protocol;

  @Option(
      names = "--rate",
      defaultValue = "1000",
      description = "Messages per second, whole fleet (default: ${DEFAULT-VALUE})")
  double rate;

  @Option(
      names = "--metrics",
      defaultValue = "5",
      description = "Metrics per message (default: ${DEFAULT-VALUE})")
  int metrics;

  @Option(
      names = "--documents",
      defaultValue = "1",
      description =
          "Documents per message: 1, or a batch sent as one JSON array, as a device uploading"
              + " buffered readings does (default: ${DEFAULT-VALUE})")
  int documents;

  @Option(
      names = "--qos",
      defaultValue = "1",
      description = "MQTT QoS, 0 or 1 (default: ${DEFAULT-VALUE})")
  int qos;

  @Option(
      names = "--duration",
      defaultValue = "30s",
      description = "Send window (default: ${DEFAULT-VALUE})")
  String duration;

  @Option(
      names = "--warmup",
      defaultValue = "5s",
      description =
          "Sent at the full rate before the send window; checked for loss, left out of latency"
              + " and throughput (default: ${DEFAULT-VALUE})")
  String warmup;

  @Option(
      names = "--report",
      defaultValue = "load-report.json",
      description = "JSON report file (default: ${DEFAULT-VALUE})")
  Path report;

  @Option(
      names = "--max-inflight",
      defaultValue = "32",
      description = "Unacknowledged messages per device (default: ${DEFAULT-VALUE})")
  int maxInflight;

  @Option(
      names = "--ramp-rate",
      defaultValue = "200",
      description = "New connections per second (default: ${DEFAULT-VALUE})")
  double rampRate;

  @Option(
      names = "--id-prefix",
      description =
          "Device id prefix (default: load-<time>- when provisioning, sim- with --no-provision)")
  String idPrefix;

  @Option(names = "--credentials", description = "JSON file of device tokens to reuse and extend")
  Path credentials;

  @Option(
      names = "--mqtt-node",
      paramLabel = "URI",
      description =
          "Another node's MQTT server, repeatable: the MQTT devices connect to --mqtt and these in"
              + " turn (device 0 to the first, 1 to the next, ...)")
  List<URI> mqttNodes = new ArrayList<>();

  @Option(
      names = "--cpu-of",
      paramLabel = "NAME=PID",
      description =
          "Also report this process's CPU time (with its descendants') per acknowledged message"
              + " over the measured window, repeatable; the generator's own is always reported"
              + " (Linux /proc)")
  List<String> cpuOf = new ArrayList<>();

  @Option(
      names = "--no-provision",
      description = "Skip the API: anonymous devices sim-00000..., lost reported as unknown")
  boolean noProvision;

  @Override
  public Integer call() {
    String prefix =
        idPrefix != null
            ? idPrefix
            : noProvision
                ? "sim-"
                : "load-" + Long.toString(System.currentTimeMillis() / 1000, 36) + "-";
    List<URI> servers = new ArrayList<>(List.of(platform.mqtt));
    servers.addAll(mqttNodes);
    LoadSettings settings =
        new LoadSettings(
            devices,
            protocol,
            rate,
            qos,
            Durations.parse(duration),
            Durations.parse(warmup),
            metrics,
            documents,
            maxInflight,
            rampRate,
            prefix,
            !noProvision,
            servers,
            platform.coap,
            cpuOf.stream().map(WatchedProcess::parse).toList());
    PlatformApi api =
        noProvision ? null : new PlatformApi(platform.api, platform.requireAdminToken());
    Provisioner provisioner =
        api == null ? null : new Provisioner(api, Credentials.open(credentials));
    LoadReport result = new LoadTest(settings, api, provisioner).run();
    result.write(report);
    System.out.println(result.summary());
    return 0;
  }
}
