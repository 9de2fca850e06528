package io.aftercare.simulator.testing;

import io.aftercare.platform.testing.TestPlatform;
import io.aftercare.simulator.Main;
import io.aftercare.simulator.link.DeviceLinks;
import io.aftercare.simulator.link.LinkException;
import io.aftercare.simulator.platform.Credentials;
import io.aftercare.simulator.platform.PlatformApi;
import io.aftercare.simulator.platform.Provisioner;
import io.aftercare.simulator.run.FleetRunner;
import io.aftercare.simulator.scenario.FleetPlan;
import io.aftercare.simulator.scenario.GroundTruthLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The gateway's {@link TestPlatform} started with an admin token and HTTP port known up front, so
 * the simulator can be pointed at it like at any deployed platform ({@code --api}, {@code
 * --admin-token}).
 */
public final class SimulatorPlatform implements AutoCloseable {

  public static final String ADMIN_TOKEN = "sim-test-admin";

  private final TestPlatform platform;
  private final int httpPort;

  private SimulatorPlatform(TestPlatform platform, int httpPort) {
    this.platform = platform;
    this.httpPort = httpPort;
  }

  public static SimulatorPlatform start() {
    return start(Map.of());
  }

  /** Started with some more configuration keys, e.g. an operator rule folder. */
  public static SimulatorPlatform start(Map<String, String> settings) {
    int port = freePort();
    Map<String, String> all = new HashMap<>(settings);
    all.put("http.port", String.valueOf(port));
    all.put("security.adminToken", ADMIN_TOKEN);
    // As in production: the tour shows a lock command refused without the owner.
    all.put("commands.requireOwnerConsent", "true");
    return new SimulatorPlatform(TestPlatform.start(all), port);
  }

  public String apiUrl() {
    return "http://127.0.0.1:" + httpPort;
  }

  public String mqttUri() {
    return platform.mqttUri();
  }

  public String coapUri() {
    return platform.coapUri();
  }

  public String coapsUri() {
    return platform.coapsUri();
  }

  /**
   * Runs a simulator subcommand against this platform: {@code command --api <url> --admin-token
   * <token> options...}; returns its exit code.
   */
  /**
   * Provisions {@code plan}'s fleet on this platform and starts it over MQTT (the scenario tests'
   * fleets have no CoAP devices): credentials kept in {@code dir}, ground truth written to {@code
   * groundTruth}.
   */
  public FleetRunner startMqttFleet(FleetPlan plan, Path dir, Path groundTruth)
      throws LinkException {
    return FleetRunner.start(
        plan,
        new Provisioner(
            new PlatformApi(apiUrl(), ADMIN_TOKEN),
            Credentials.open(dir.resolve("credentials.json"))),
        new DeviceLinks(
            mqttUri(), URI.create("coap://127.0.0.1:1"), URI.create("coaps://127.0.0.1:1")),
        new GroundTruthLog(groundTruth),
        Clock.systemUTC());
  }

  public int runSimulator(String command, String... options) {
    List<String> args =
        new ArrayList<>(List.of(command, "--api", apiUrl(), "--admin-token", ADMIN_TOKEN));
    args.addAll(List.of(options));
    return Main.commandLine().execute(args.toArray(String[]::new));
  }

  public TestPlatform platform() {
    return platform;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    platform.close();
  }
}
