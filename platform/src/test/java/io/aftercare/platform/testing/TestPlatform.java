package io.aftercare.platform.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.bridge.SealedText;
import io.aftercare.bridge.testing.FakeHelpdesk;
import io.aftercare.bridge.testing.OutboxEvents;
import io.aftercare.bridge.testing.StandardWebhooks;
import io.aftercare.platform.Platform;
import io.aftercare.platform.config.AftercareConfig;
import io.aftercare.platform.config.ConfigLoader;
import io.aftercare.platform.security.DataKey;
import io.aftercare.testsupport.TestDatabases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole platform, started for a test class on free ports against a fresh database, with helpers
 * to reach it the way outside clients do.
 */
public final class TestPlatform implements AutoCloseable {

  private final Map<String, String> settings;
  private AftercareConfig config;
  private TestDatabases.TestDatabase database;
  private final Clock serviceDeskClock;
  private Platform platform;
  private ApiClient api;

  private TestPlatform(
      Map<String, String> settings, TestDatabases.TestDatabase database, Clock serviceDeskClock) {
    this.settings = settings;
    this.config = new ConfigLoader().load(settings);
    this.database = database;
    this.serviceDeskClock = serviceDeskClock;
    boot();
    if (database == null) {
      // The embedded database's port is known once it runs; the supervisor keeps it.
      this.database = new EmbeddedDatabaseFolder(config.dataDir()).superuser();
    }
  }

  private void boot() {
    this.platform = Platform.start(config, serviceDeskClock);
    this.api =
        tls()
            ? new ApiClient(
                "https://localhost:" + platform.httpPort(),
                platform.adminToken(),
                TlsClients.https(certificate()))
            : new ApiClient("http://127.0.0.1:" + platform.httpPort(), platform.adminToken());
  }

  /** Whether the platform serves TLS (a certificate is configured or generated). */
  public boolean tls() {
    return platform.mqttTlsPort() >= 0;
  }

  /** The PEM certificate the platform presents: the configured one, or the generated one. */
  public Path certificate() {
    return config.tls().certificate().isBlank()
        ? config.dataDir().resolve("tls-certificate.pem")
        : Path.of(config.tls().certificate());
  }

  /** {@code ssl://localhost:port}, MQTT over TLS (the certificate is for localhost). */
  public String mqttsUri() {
    return "ssl://localhost:" + platform.mqttTlsPort();
  }

  /**
   * Stops the platform and starts it again on the same database and data folder, as after a crash
   * or a deployment. Ports change: clients must reconnect to the new ones.
   */
  public void restart() {
    restart(() -> {});
  }

  /**
   * Like {@link #restart()}, with some configuration keys changed from now on, as an operator
   * restarting with an edited configuration file.
   */
  public void restart(Map<String, String> changedSettings) {
    platform.close();
    settings.putAll(changedSettings);
    config = new ConfigLoader().load(settings);
    boot();
  }

  /**
   * Like {@link #restart()}, running {@code whileDown} between stop and start, e.g. to make the
   * database look as if the platform had been down for an hour.
   */
  public void restart(Runnable whileDown) {
    platform.close();
    whileDown.run();
    boot();
  }

  public static TestPlatform start() {
    return start(Map.of());
  }

  /**
   * Overrides that deliver the ticket outbox to the stand-in helpdesk at {@code path}, signed with
   * {@link StandardWebhooks#SECRET} and polled every 50 ms; a test adds its own keys (e.g. retry
   * timings) before starting. The helpdesk listens on loopback, which the outbound address rule
   * refuses unless allowed explicitly.
   */
  public static Map<String, String> deliveringTo(FakeHelpdesk helpdesk, String path) {
    Map<String, String> overrides = new HashMap<>();
    overrides.put("tickets.connector.webhookUrl", helpdesk.url(path));
    overrides.put("tickets.connector.webhookSecret", StandardWebhooks.SECRET);
    overrides.put("tickets.outboundAllowPrivate", "true");
    overrides.put("tickets.pollInterval", "50ms");
    return overrides;
  }

  /**
   * @param overrides configuration keys to change, e.g. {@code ingest.queueCapacity=10}
   */
  public static TestPlatform start(Map<String, String> overrides) {
    return start(overrides, Clock.systemUTC());
  }

  /**
   * @param serviceDeskClock the time tickets, their clocks and KPIs see, e.g. a {@code
   *     MutableClock} the test moves forward
   */
  public static TestPlatform start(Map<String, String> overrides, Clock serviceDeskClock) {
    return start(TestDatabases.fresh(), overrides, serviceDeskClock);
  }

  /**
   * The platform with its own embedded PostgreSQL in its data folder, as an installation without
   * {@code AFTERCARE_DB_URL} runs: slower to start than {@link #start(Map)} (initdb), for tests of
   * that database itself. {@link #database()}, {@link #count} and {@link #execute} act as its
   * superuser; {@link #embeddedDatabase()} shows the folder.
   */
  public static TestPlatform startEmbedded(Map<String, String> overrides) {
    return start(null, overrides, Clock.systemUTC());
  }

  /**
   * A node of a platform that several nodes share: on {@code database}, with the keys kept in
   * {@code dataDir} (every node needs the same), its own ports, and {@code overrides} such as
   * {@code cluster.nodeId} and {@code security.adminToken}. Start the nodes one after the other:
   * the first generates the keys.
   */
  public static TestPlatform node(
      TestDatabases.TestDatabase database,
      Path dataDir,
      Map<String, String> overrides,
      Clock serviceDeskClock) {
    Map<String, String> settings = new HashMap<>(overrides);
    settings.put("dataDir", dataDir.toString());
    return start(database, settings, serviceDeskClock);
  }

  /**
   * Another node on {@code first}'s database, as a second node of a cluster runs ({@link
   * TestCluster}): its own data folder and ports, the same database.
   */
  public static TestPlatform startOnDatabaseOf(TestPlatform first, Map<String, String> overrides) {
    return start(first.database(), overrides, Clock.systemUTC());
  }

  private static TestPlatform start(
      TestDatabases.TestDatabase database, Map<String, String> overrides, Clock serviceDeskClock) {
    Path dataDir;
    try {
      dataDir = Files.createTempDirectory("aftercare-test-data");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> settings = new HashMap<>();
    settings.put("dataDir", dataDir.toString());
    settings.put("http.host", "127.0.0.1");
    settings.put("http.port", "0");
    settings.put("mqtt.host", "127.0.0.1");
    settings.put("mqtt.port", "0");
    settings.put("coap.host", "127.0.0.1");
    settings.put("coap.port", "0");
    settings.put("coap.securePort", "0");
    settings.put("tls.mqttPort", "0");
    if (database != null) {
      settings.put("database.url", database.url());
      settings.put("database.user", database.user());
      settings.put("database.password", database.password());
    }
    settings.put("database.poolSize", "6");
    settings.put("security.adminToken", "test-admin-" + System.nanoTime());
    // Every test client connects from 127.0.0.1: tests that try wrong credentials on purpose would
    // make that address back off for the rest of the class. Tests of the back-off set their own.
    settings.put("security.failedAuth.freeFailures", "100000");
    settings.put("security.failedAuth.reportInterval", "1s");
    // Tests of other features send restarts and settings to devices that have no owner; the tests
    // of support sessions (SupportSessionsTest) require the owner's consent, as production does.
    settings.put("commands.requireOwnerConsent", "false");
    settings.putAll(overrides);
    return new TestPlatform(settings, database, serviceDeskClock);
  }

  public String mqttUri() {
    return "tcp://127.0.0.1:" + platform.mqttPort();
  }

  public int mqttPort() {
    return platform.mqttPort();
  }

  /** {@code coap://127.0.0.1:port}, the plain UDP CoAP endpoint. */
  public String coapUri() {
    return "coap://127.0.0.1:" + platform.coapPort();
  }

  /** {@code coaps://127.0.0.1:port}, the DTLS-PSK CoAP endpoint. */
  public String coapsUri() {
    return "coaps://127.0.0.1:" + platform.coapsPort();
  }

  /** The platform itself, for seams a test drives directly (e.g. the CoAP command channel). */
  public Platform platform() {
    return platform;
  }

  /** The staff API as the bootstrap admin. */
  public ApiClient api() {
    return api;
  }

  public TestDatabases.TestDatabase database() {
    return database;
  }

  /** The embedded database's folder, for a platform from {@link #startEmbedded}. */
  public EmbeddedDatabaseFolder embeddedDatabase() {
    return new EmbeddedDatabaseFolder(config.dataDir());
  }

  /** Counts rows with a query like {@code SELECT count(*) FROM telemetry WHERE device_id = ?}. */
  public long count(String sql, Object... parameters) {
    return withStatement(
        sql,
        parameters,
        statement -> {
          try (ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  /**
   * The helpdesk events of {@code ticketId} of {@code type} as the outbox holds them, opened with
   * the platform's data key (the outbox keeps them sealed).
   */
  public List<JsonNode> outboxEvents(long ticketId, String type) {
    try (Connection connection = database.connect()) {
      return OutboxEvents.of(
          connection,
          new SealedText(DataKey.resolve(config.security().dataKey(), config.dataDir())),
          ticketId,
          type);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Waits until the ticket bridge has processed the ticket request (e.g. one of {@code
   * SampleRequests}), and returns the ticket it touched.
   */
  public long processedTicketRequest(long requestId) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                count(
                        "SELECT count(*) FROM ticket_requests WHERE id = ? AND processed_at IS NOT"
                            + " NULL",
                        requestId)
                    == 1);
    return count("SELECT ticket_id FROM ticket_requests WHERE id = ?", requestId);
  }

  /** Changes rows directly, e.g. to age what the platform recorded; returns how many. */
  public int execute(String sql, Object... parameters) {
    return withStatement(sql, parameters, PreparedStatement::executeUpdate);
  }

  private interface StatementWork<T> {
    T run(PreparedStatement statement) throws SQLException;
  }

  private <T> T withStatement(String sql, Object[] parameters, StatementWork<T> work) {
    try (Connection connection = database.connect();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      return work.run(statement);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A value from {@code /metrics}, as an operator's Prometheus would read it. */
  public double metric(String name) {
    String text;
    try {
      text =
          TestHttp.CLIENT
              .send(
                  TestHttp.request(
                          java.net.URI.create(
                              "http://127.0.0.1:" + platform.httpPort() + "/metrics"))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString())
              .body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    for (String line : text.split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    throw new IllegalStateException("no metric " + name);
  }

  @Override
  public void close() {
    platform.close();
  }
}
