package io.aftercare.gateway;

import io.aftercare.bridge.TicketBridge;
import io.aftercare.domain.DocumentCodec;
import io.aftercare.domain.DocumentLimits;
import io.aftercare.gateway.api.ApiServer;
import io.aftercare.gateway.audit.AuditLog;
import io.aftercare.gateway.command.CommandCatalog;
import io.aftercare.gateway.command.CommandService;
import io.aftercare.gateway.command.CommandSweeper;
import io.aftercare.gateway.config.AftercareConfig;
import io.aftercare.gateway.db.Database;
import io.aftercare.gateway.db.EmbeddedPostgresServer;
import io.aftercare.gateway.db.Jdbc;
import io.aftercare.gateway.device.DeviceConnectivity;
import io.aftercare.gateway.device.DeviceRegistry;
import io.aftercare.gateway.ingest.IngestService;
import io.aftercare.gateway.ingest.TelemetryWriter;
import io.aftercare.gateway.mqtt.MqttDeviceServer;
import io.aftercare.gateway.security.AdminToken;
import io.aftercare.gateway.staff.StaffDirectory;
import io.aftercare.gateway.telemetry.TelemetryReader;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assembles the platform from its configuration and starts it. This is the one place where the
 * parts are wired together; there is no logic here beyond that.
 */
public final class Platform implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Platform.class);

  private final EmbeddedPostgresServer embeddedPostgres;
  private final Database database;
  private final Vertx vertx;
  private final TelemetryWriter writer;
  private final TicketBridge tickets;
  private final ApiServer api;
  private final int mqttPort;
  private final int httpPort;
  private final String adminToken;

  private Platform(
      EmbeddedPostgresServer embeddedPostgres,
      Database database,
      Vertx vertx,
      TelemetryWriter writer,
      TicketBridge tickets,
      ApiServer api,
      int mqttPort,
      int httpPort,
      String adminToken) {
    this.embeddedPostgres = embeddedPostgres;
    this.database = database;
    this.vertx = vertx;
    this.writer = writer;
    this.tickets = tickets;
    this.api = api;
    this.mqttPort = mqttPort;
    this.httpPort = httpPort;
    this.adminToken = adminToken;
  }

  /** Starts everything, or fails having stopped whatever had started. */
  public static Platform start(AftercareConfig config) {
    EmbeddedPostgresServer embedded = null;
    Database database = null;
    Vertx vertx = null;
    TelemetryWriter writer = null;
    TicketBridge tickets = null;
    try {
      AftercareConfig.Database db = config.database();
      String url = db.url();
      String user = db.user();
      if (db.embedded()) {
        embedded =
            EmbeddedPostgresServer.start(config.dataDir().resolve("postgres"), db.embeddedPort());
        url = embedded.jdbcUrl();
        user = embedded.user();
      }
      database = Database.open(db, url, user);
      String adminToken = AdminToken.resolve(config.security().adminToken(), config.dataDir());

      PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      vertx = Vertx.vertx();
      Jdbc jdbc = new Jdbc(vertx, database.dataSource());

      AftercareConfig.Ingest ingestConfig = config.ingest();
      writer =
          new TelemetryWriter(
              database.dataSource(),
              ingestConfig.queueCapacity(),
              ingestConfig.maxBatchPoints(),
              ingestConfig.writeTimeout(),
              meters);
      writer.start();
      DocumentCodec codec =
          new DocumentCodec(
              new DocumentLimits(
                  ingestConfig.maxDocumentsPerBatch(),
                  ingestConfig.maxMetricsPerDocument(),
                  ingestConfig.maxFutureSkew()));
      DeviceRegistry registry = new DeviceRegistry(jdbc, config.security().credentialCacheTtl());
      DeviceConnectivity connectivity = new DeviceConnectivity(jdbc);
      AuditLog audit = new AuditLog(jdbc);
      CommandService commands =
          new CommandService(
              jdbc,
              CommandCatalog.builtIn(),
              registry,
              audit,
              Clock.systemUTC(),
              config.commands().maxOpenPerDevice());
      IngestService ingest = new IngestService(codec, writer, commands, jdbc, Clock.systemUTC());
      StaffDirectory staff =
          new StaffDirectory(jdbc, adminToken, config.security().credentialCacheTtl());

      tickets = new TicketBridge(config.tickets(), database.dataSource(), Clock.systemUTC());

      MqttDeviceServer mqtt =
          new MqttDeviceServer(
              vertx, config.mqtt(), ingest, commands, registry, connectivity, meters);
      ApiServer api =
          new ApiServer(
              vertx,
              config.http(),
              ingest,
              registry,
              new TelemetryReader(jdbc),
              staff,
              commands,
              audit,
              tickets,
              meters);
      new CommandSweeper(vertx, commands, config.commands().sweepInterval()).start();
      tickets.start();

      int mqttPort = await(mqtt.start());
      int httpPort = await(api.start());
      LOG.info("Aftercare is up: MQTT port {}, HTTP port {}", mqttPort, httpPort);
      return new Platform(
          embedded, database, vertx, writer, tickets, api, mqttPort, httpPort, adminToken);
    } catch (RuntimeException e) {
      if (tickets != null) {
        tickets.close();
      }
      closeAll(vertx, writer, database, embedded);
      throw e;
    }
  }

  private static <T> T await(io.vertx.core.Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("start-up failed: " + e.getMessage(), e);
    }
  }

  public int mqttPort() {
    return mqttPort;
  }

  public int httpPort() {
    return httpPort;
  }

  /** The bootstrap admin token, for the launcher and tests; never logged. */
  public String adminToken() {
    return adminToken;
  }

  /**
   * Stops taking traffic, writes what is queued, then stops the database. Messages that were not
   * acknowledged are not claimed stored, so devices resend them to the next instance.
   */
  @Override
  public void close() {
    try {
      await(api.close());
    } catch (RuntimeException e) {
      LOG.warn("HTTP server did not close cleanly", e);
    }
    tickets.close();
    closeAll(vertx, writer, database, embeddedPostgres);
  }

  private static void closeAll(
      Vertx vertx, TelemetryWriter writer, Database database, EmbeddedPostgresServer embedded) {
    if (vertx != null) {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("Vert.x did not close cleanly", e);
      }
    }
    if (writer != null) {
      writer.close();
    }
    if (database != null) {
      database.close();
    }
    if (embedded != null) {
      embedded.close();
    }
  }
}
