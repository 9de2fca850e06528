package io.aftercare.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The real platform, {@code java -jar platform.jar}, on the benchmark's database: the embedded
 * PostgreSQL in the data folder, or the external database by URL. The registry's reporting devices
 * stay online through the run: they are marked online over CoAP, and the platform gets a CoAP
 * online window longer than the run (no device actually connects). MQTT and CoAP listen on ports of
 * their own; the admin token is a fresh random one.
 */
final class PlatformProcess implements AutoCloseable {

  private final Process process;
  private final String baseUrl;
  private final String token;

  private PlatformProcess(Process process, String baseUrl, String token) {
    this.process = process;
    this.baseUrl = baseUrl;
    this.token = token;
  }

  /**
   * @param external the database by URL, or {@code null} for the embedded one in {@code dataDir}
   * @param dbPort the embedded PostgreSQL's port, so that the benchmark can read table sizes while
   *     the platform runs it
   * @param compressAfterDays the platform's {@code database.compressAfter} (TimescaleDB only)
   */
  static PlatformProcess start(
      Path platformJar,
      Path workDir,
      BenchDatabase external,
      Path dataDir,
      int httpPort,
      int dbPort,
      int compressAfterDays,
      String heap)
      throws IOException, InterruptedException {
    Files.createDirectories(workDir);
    Path config = workDir.resolve("bench-platform.yaml");
    // The simulated fleet connects from this one machine: lift the per-address MQTT cap.
    Files.writeString(
        config,
        "coap:\n  onlineWindow: 3650d\ndatabase:\n  compressAfter: "
            + compressAfterDays
            + "d\nmqtt:\n  maxConnectionsPerSource: 1000000\n");
    String token = "bench-" + UUID.randomUUID();
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap,
                "-jar",
                platformJar.toString())
            .redirectErrorStream(true)
            .redirectOutput(workDir.resolve("platform.log").toFile());
    Map<String, String> env = builder.environment();
    env.put("AFTERCARE_CONFIG", config.toString());
    env.put("AFTERCARE_HTTP_PORT", Integer.toString(httpPort));
    env.put("AFTERCARE_MQTT_PORT", "0");
    env.put("AFTERCARE_COAP_PORT", "0");
    env.put("AFTERCARE_COAPS_PORT", "0");
    env.put("AFTERCARE_ADMIN_TOKEN", token);
    if (external == null) {
      env.put("AFTERCARE_DATA_DIR", dataDir.toString());
      env.put("AFTERCARE_EMBEDDED_DB_PORT", Integer.toString(dbPort));
    } else {
      env.put("AFTERCARE_DATA_DIR", workDir.resolve("platform-data").toString());
      env.put("AFTERCARE_DB_URL", external.url());
      env.put("AFTERCARE_DB_USER", external.user());
      env.put("AFTERCARE_DB_PASSWORD", external.password());
    }
    Process process = builder.start();
    // A benchmark stopped from outside (Ctrl-C) stops its platform too: a platform left running
    // would hold the ports of the next run.
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
    PlatformProcess platform = new PlatformProcess(process, "http://127.0.0.1:" + httpPort, token);
    platform.awaitHealthy(workDir.resolve("platform.log"));
    return platform;
  }

  private void awaitHealthy(Path log) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the platform exited; see " + log);
      }
      try {
        HttpResponse<Void> health =
            client.send(
                HttpRequest.newBuilder(URI.create(baseUrl + "/health"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (health.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(
        "the platform did not answer /health in 10 minutes; see " + log);
  }

  String baseUrl() {
    return baseUrl;
  }

  String token() {
    return token;
  }

  /** Stops the platform (SIGTERM, its orderly shutdown), killing it after a minute. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
