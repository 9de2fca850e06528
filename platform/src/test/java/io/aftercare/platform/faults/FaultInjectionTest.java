package io.aftercare.platform.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aftercare.platform.testing.DatabaseOutage;
import io.aftercare.platform.testing.EmbeddedDatabaseFolder;
import io.aftercare.platform.testing.PlatformProcess;
import io.aftercare.platform.testing.TestPlatform;
import io.aftercare.testsupport.TestDatabases;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Promise 11: a Jepsen-style check under faults. Real devices (Paho MQTT 3.1.1 with QoS 1, and
 * Californium CoAP with confirmable requests) send numbered documents while the platform is
 * SIGKILLed and restarted, its embedded PostgreSQL is SIGKILLed (the platform restarts it), and
 * that PostgreSQL is stopped with SIGSTOP for 20 s, and an external database refuses and ends every
 * connection for 10 s (as during a restart of its server). Afterwards the database is read back and
 * every sent message classified ({@link DeliveryLedger}): none acknowledged may be missing, none
 * stored twice, and acknowledgements must resume after each fault without a restart.
 */
class FaultInjectionTest {

  private static final Logger LOG = LoggerFactory.getLogger(FaultInjectionTest.class);
  private static final Duration STALL = Duration.ofSeconds(20);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static TestPlatform embedded;

  @BeforeAll
  static void startEmbedded() {
    embedded = TestPlatform.startEmbedded(Map.of());
  }

  @AfterAll
  static void stopEmbedded() {
    if (embedded != null) {
      embedded.close();
    }
  }

  /** One MQTT and one CoAP device under load, with their ledgers. */
  private record Load(
      String mqttDevice,
      String coapDevice,
      DeliveryLedger mqtt,
      DeliveryLedger coap,
      NumberedLoad mqttLoad,
      NumberedLoad coapLoad) {

    static Load start(
        String name,
        Supplier<String> mqttUri,
        Supplier<String> coapUri,
        Map<String, String> tokens) {
      Instant base = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
      String mqttDevice = name + "-mqtt";
      String coapDevice = name + "-coap";
      DeliveryLedger mqtt = new DeliveryLedger(mqttDevice);
      DeliveryLedger coap = new DeliveryLedger(coapDevice);
      return new Load(
          mqttDevice,
          coapDevice,
          mqtt,
          coap,
          new MqttLoad(mqttUri, mqttDevice, tokens.get(mqttDevice), base, mqtt).start(),
          new CoapLoad(coapUri, coapDevice, tokens.get(coapDevice), base, coap).start());
    }

    /** Waits until both devices have {@code more} acknowledgements than now. */
    void awaitAcknowledgements(int more, Duration atMost) {
      int mqttBefore = mqtt.ackedCount();
      int coapBefore = coap.ackedCount();
      await()
          .atMost(atMost)
          .until(
              () ->
                  mqtt.ackedCount() >= mqttBefore + more && coap.ackedCount() >= coapBefore + more);
    }

    /** Stops both devices, reads the database back, logs and checks the verdicts. */
    void stopAndCheck(String fault, TestDatabases.TestDatabase database) throws Exception {
      mqttLoad.stop();
      coapLoad.stop();
      List<DeliveryLedger.Verdict> verdicts = new ArrayList<>();
      try (Connection connection = database.connect()) {
        verdicts.add(mqtt.classify(DeliveryLedger.storedCopies(connection, mqttDevice)));
        verdicts.add(coap.classify(DeliveryLedger.storedCopies(connection, coapDevice)));
      }
      verdicts.forEach(verdict -> LOG.info("{}: {}", fault, verdict));
      for (DeliveryLedger.Verdict verdict : verdicts) {
        assertThat(verdict.lost()).as("%s: acknowledged but not stored", verdict).isZero();
        assertThat(verdict.duplicated()).as("%s: stored more than once", verdict).isZero();
        assertThat(verdict.ackedStored()).as("%s: acknowledged", verdict).isPositive();
      }
    }
  }

  @Test
  void thePlatformKilledMidLoadAndRestartedLosesAndDuplicatesNothing() throws Exception {
    TestDatabases.TestDatabase database = TestDatabases.fresh();
    Path dataDir = Files.createTempDirectory("aftercare-faults");
    String adminToken = "faults-admin-" + System.nanoTime();
    AtomicReference<PlatformProcess> platform =
        new AtomicReference<>(PlatformProcess.start(database, dataDir, adminToken, List.of()));
    try {
      Load load =
          Load.start(
              "killed",
              () -> platform.get().mqttUri(),
              () -> platform.get().coapUri(),
              provision(platform.get().api(), "killed"));
      load.awaitAcknowledgements(50, Duration.ofSeconds(30));

      platform.get().kill();
      platform.set(PlatformProcess.start(database, dataDir, adminToken, List.of()));

      load.awaitAcknowledgements(50, Duration.ofSeconds(60));
      load.stopAndCheck("platform SIGKILL", database);
    } finally {
      platform.get().close();
    }
  }

  @Test
  void theEmbeddedDatabaseKilledMidLoadLosesAndDuplicatesNothing() throws Exception {
    EmbeddedDatabaseFolder folder = embedded.embeddedDatabase();
    Load load =
        Load.start(
            "pg-killed",
            embedded::mqttUri,
            embedded::coapUri,
            provision(embedded.api(), "pg-killed"));
    load.awaitAcknowledgements(50, Duration.ofSeconds(30));

    long killed = folder.postmasterPid();
    folder.killPostmaster();
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(
            () ->
                folder.postmasterPid() != killed
                    && ProcessHandle.of(folder.postmasterPid()).isPresent());

    // Without a restart of the platform, both devices are acknowledged again.
    load.awaitAcknowledgements(50, Duration.ofSeconds(60));
    load.stopAndCheck("PostgreSQL SIGKILL", embedded.database());
  }

  @Test
  void theEmbeddedDatabaseStalledMidLoadLosesNothingAndThePlatformKeepsAnswering()
      throws Exception {
    EmbeddedDatabaseFolder folder = embedded.embeddedDatabase();
    Load load =
        Load.start(
            "pg-stalled",
            embedded::mqttUri,
            embedded::coapUri,
            provision(embedded.api(), "pg-stalled"));
    load.awaitAcknowledgements(50, Duration.ofSeconds(30));

    List<Long> stopped = postgresProcesses(folder.postmasterPid());
    signal("-STOP", stopped);
    try {
      Instant until = Instant.now().plus(STALL);
      while (Instant.now().isBefore(until)) {
        int status = health();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        LOG.info(
            "PostgreSQL stopped: /health {}, heap used {} MiB, MQTT acked {}, CoAP acked {}",
            status,
            heap / (1024 * 1024),
            load.mqtt().ackedCount(),
            load.coap().ackedCount());
        assertThat(status).as("/health answers while the database is stalled").isIn(200, 503);
        Thread.sleep(2_000);
      }
    } finally {
      signal("-CONT", stopped);
    }

    load.awaitAcknowledgements(50, Duration.ofSeconds(60));
    load.stopAndCheck("PostgreSQL SIGSTOP " + STALL.toSeconds() + " s", embedded.database());
  }

  @Test
  void anExternalDatabaseGoneMidLoadLosesAndDuplicatesNothing() throws Exception {
    try (TestPlatform platform = TestPlatform.start()) {
      Load load =
          Load.start(
              "external-gone",
              platform::mqttUri,
              platform::coapUri,
              provision(platform.api(), "external-gone"));
      load.awaitAcknowledgements(50, Duration.ofSeconds(30));

      // As the platform sees its database server restart: connections ended, new ones refused.
      DatabaseOutage outage = DatabaseOutage.begin(platform.database());
      try {
        Thread.sleep(STALL.toMillis() / 2);
      } finally {
        outage.end();
      }

      load.awaitAcknowledgements(50, Duration.ofSeconds(60));
      load.stopAndCheck("external database outage", platform.database());
    }
  }

  private static Map<String, String> provision(
      io.aftercare.platform.testing.ApiClient api, String name) {
    Map<String, String> tokens = new HashMap<>();
    for (String device : List.of(name + "-mqtt", name + "-coap")) {
      tokens.put(device, api.provisionDevice(device, "hub"));
    }
    return tokens;
  }

  /** The postmaster and its children (backends, writer, checkpointer, ...). */
  private static List<Long> postgresProcesses(long postmaster) {
    List<Long> pids = new ArrayList<>();
    pids.add(postmaster);
    ProcessHandle.of(postmaster).orElseThrow().children().forEach(child -> pids.add(child.pid()));
    return pids;
  }

  private static void signal(String signal, List<Long> pids)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("kill", signal));
    pids.forEach(pid -> command.add(Long.toString(pid)));
    Process kill =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    kill.waitFor();
  }

  private static int health() throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + embedded.platform().httpPort() + "/health"))
            .timeout(Duration.ofSeconds(5))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
