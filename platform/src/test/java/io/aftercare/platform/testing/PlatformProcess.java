package io.aftercare.platform.testing;

import static org.awaitility.Awaitility.await;

import io.aftercare.testsupport.TestDatabases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The platform as a process of its own ({@code Main}, on this JVM's classpath), so that a test can
 * kill it the hard way: {@link #kill} is SIGKILL, no shutdown hook runs, no transaction finishes.
 * It listens on free ports of 127.0.0.1, which it logs, and uses the test's database and folder.
 */
public final class PlatformProcess implements AutoCloseable {

  private static final Pattern UP =
      Pattern.compile(
          "Aftercare is up: MQTT port (\\d+), CoAP ports (\\d+) and \\d+ .* HTTP port (\\d+)");

  private final Process process;
  private final Path log;
  private final int mqttPort;
  private final int coapPort;
  private final ApiClient api;

  private PlatformProcess(Process process, Path log, int mqttPort, int coapPort, ApiClient api) {
    this.process = process;
    this.log = log;
    this.mqttPort = mqttPort;
    this.coapPort = coapPort;
    this.api = api;
  }

  /** Every listener on loopback (each on a free port, from the environment). */
  private static final List<String> ON_LOOPBACK =
      List.of("http: {host: 127.0.0.1}", "mqtt: {host: 127.0.0.1}", "coap: {host: 127.0.0.1}");

  /**
   * Starts the platform and waits until it says it is up.
   *
   * @param settings configuration file lines, e.g. {@code diagnostics: {tickInterval: 200ms}}; the
   *     listeners are on loopback already
   */
  public static PlatformProcess start(
      TestDatabases.TestDatabase database, Path dataDir, String adminToken, List<String> settings) {
    return launch(database, dataDir, adminToken, settings);
  }

  /**
   * Like {@link #start}, with the platform's own embedded PostgreSQL in {@code dataDir} (which
   * outlives a {@link #kill}, as it would in production).
   */
  public static PlatformProcess startEmbedded(
      Path dataDir, String adminToken, List<String> settings) {
    return launch(null, dataDir, adminToken, settings);
  }

  private static PlatformProcess launch(
      TestDatabases.TestDatabase database, Path dataDir, String adminToken, List<String> settings) {
    try {
      Path config = Files.createTempFile(dataDir, "aftercare", ".yaml");
      List<String> lines = new ArrayList<>(ON_LOOPBACK);
      lines.addAll(settings);
      Files.write(config, lines, StandardCharsets.UTF_8);
      Path log = Files.createTempFile(dataDir, "platform", ".log");
      String java =
          ProcessHandle.current()
              .info()
              .command()
              .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      ProcessBuilder builder =
          new ProcessBuilder(
                  java,
                  "-cp",
                  System.getProperty("java.class.path"),
                  "io.aftercare.platform.Main",
                  "--config",
                  config.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      Map<String, String> environment = builder.environment();
      if (database != null) {
        environment.put("AFTERCARE_DB_URL", database.url());
        environment.put("AFTERCARE_DB_USER", database.user());
        environment.put("AFTERCARE_DB_PASSWORD", database.password());
      } else {
        // The test JVM's own environment may name an external database.
        environment.remove("AFTERCARE_DB_URL");
      }
      environment.put("AFTERCARE_ADMIN_TOKEN", adminToken);
      environment.put("AFTERCARE_DATA_DIR", dataDir.toString());
      for (String port :
          List.of(
              "AFTERCARE_HTTP_PORT",
              "AFTERCARE_MQTT_PORT",
              "AFTERCARE_COAP_PORT",
              "AFTERCARE_COAPS_PORT",
              "AFTERCARE_MQTTS_PORT")) {
        environment.put(port, "0");
      }
      Process process = builder.start();
      Matcher[] up = new Matcher[1];
      await()
          .atMost(Duration.ofSeconds(120))
          .until(
              () -> {
                if (!process.isAlive()) {
                  throw new IllegalStateException(
                      "the platform exited with " + process.exitValue() + ":\n" + read(log));
                }
                Matcher matcher = UP.matcher(read(log));
                up[0] = matcher;
                return matcher.find();
              });
      return new PlatformProcess(
          process,
          log,
          Integer.parseInt(up[0].group(1)),
          Integer.parseInt(up[0].group(2)),
          new ApiClient("http://127.0.0.1:" + up[0].group(3), adminToken));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public ApiClient api() {
    return api;
  }

  public String mqttUri() {
    return "tcp://127.0.0.1:" + mqttPort;
  }

  public String coapUri() {
    return "coap://127.0.0.1:" + coapPort;
  }

  /** What the process has logged so far. */
  public String log() {
    return read(log);
  }

  /** SIGKILL, and waits until the process is gone. */
  public void kill() {
    process.destroyForcibly();
    awaitExit();
  }

  /**
   * SIGTERM, as an operator's clean stop: the platform's shutdown hook closes it in order (its
   * devices recorded offline, its leases handed over); waits until the process is gone.
   */
  public void stop() {
    process.destroy();
    awaitExit();
  }

  private void awaitExit() {
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the platform process did not exit within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
