package io.aftercare.simulator.testing;

import io.aftercare.platform.testing.TestPlatform;
import io.aftercare.simulator.Main;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
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
