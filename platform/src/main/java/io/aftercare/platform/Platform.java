package io.aftercare.platform;

import io.aftercare.bridge.CaseFieldSealing;
import io.aftercare.bridge.DetectedIncidents;
import io.aftercare.bridge.FieldSealing;
import io.aftercare.bridge.SealedField;
import io.aftercare.bridge.SealedText;
import io.aftercare.bridge.TicketBridge;
import io.aftercare.bridge.lease.DutyLeases;
import io.aftercare.diagnostics.DiagnosticsEngine;
import io.aftercare.diagnostics.condition.ConditionCompiler;
import io.aftercare.diagnostics.rules.RuleRegistry;
import io.aftercare.domain.DocumentCodec;
import io.aftercare.domain.DocumentLimits;
import io.aftercare.platform.alarms.Alarms;
import io.aftercare.platform.alarms.DeviceProfiles;
import io.aftercare.platform.alarms.DiagnosticsHandlers;
import io.aftercare.platform.alarms.DiagnosticsInbox;
import io.aftercare.platform.alarms.DiagnosticsRunner;
import io.aftercare.platform.alarms.DiagnosticsService;
import io.aftercare.platform.alarms.FleetIncidents;
import io.aftercare.platform.alarms.UnheldDevicesCheck;
import io.aftercare.platform.api.ApiServer;
import io.aftercare.platform.audit.AuditLog;
import io.aftercare.platform.bulk.BulkCommands;
import io.aftercare.platform.bulk.BulkDispatcher;
import io.aftercare.platform.channel.coap.CoapCommandChannel;
import io.aftercare.platform.channel.coap.CoapDeviceServer;
import io.aftercare.platform.channel.mqtt.MqttDeviceServer;
import io.aftercare.platform.cluster.ClusterVertx;
import io.aftercare.platform.cluster.CommandWakeUps;
import io.aftercare.platform.cluster.NodeIdentity;
import io.aftercare.platform.cluster.NodeSessions;
import io.aftercare.platform.cluster.RuleReloads;
import io.aftercare.platform.command.CommandCatalog;
import io.aftercare.platform.command.CommandService;
import io.aftercare.platform.command.CommandSweeper;
import io.aftercare.platform.command.SecondApprover;
import io.aftercare.platform.config.AftercareConfig;
import io.aftercare.platform.config.ListenPorts;
import io.aftercare.platform.consent.OwnerConsent;
import io.aftercare.platform.consent.SupportSessions;
import io.aftercare.platform.db.Database;
import io.aftercare.platform.db.EmbeddedPostgresServer;
import io.aftercare.platform.db.Jdbc;
import io.aftercare.platform.db.TelemetryRetention;
import io.aftercare.platform.device.DeviceConnectivity;
import io.aftercare.platform.device.DeviceCredentialPolicy;
import io.aftercare.platform.device.DeviceRegistry;
import io.aftercare.platform.fleet.FleetHealthSeries;
import io.aftercare.platform.fleet.firmware.FirmwareFleet;
import io.aftercare.platform.fleet.firmware.FirmwareRegressionGuard;
import io.aftercare.platform.fleet.firmware.GuardThresholds;
import io.aftercare.platform.healthcheck.HealthChecks;
import io.aftercare.platform.ingest.IngestService;
import io.aftercare.platform.ingest.TelemetryWriter;
import io.aftercare.platform.live.ChangeAnnouncements;
import io.aftercare.platform.live.DatabaseChanges;
import io.aftercare.platform.live.LiveHub;
import io.aftercare.platform.live.LiveTelemetry;
import io.aftercare.platform.logs.LogBundleIntake;
import io.aftercare.platform.logs.LogBundles;
import io.aftercare.platform.metrics.DeliveryMetrics;
import io.aftercare.platform.metrics.JvmMetrics;
import io.aftercare.platform.metrics.ServiceMetrics;
import io.aftercare.platform.notify.Notifications;
import io.aftercare.platform.playbook.StaffPlaybookRuns;
import io.aftercare.platform.privacy.DataKeyReseal;
import io.aftercare.platform.privacy.PlatformSealedFields;
import io.aftercare.platform.privacy.PresenceRetention;
import io.aftercare.platform.privacy.SensitiveEventRetention;
import io.aftercare.platform.remediation.AlarmDecisions;
import io.aftercare.platform.remediation.ExpectedOutcome;
import io.aftercare.platform.remediation.RemediationPolicy;
import io.aftercare.platform.remediation.RemoteFixFirst;
import io.aftercare.platform.remediation.StepPreconditions;
import io.aftercare.platform.security.AdminToken;
import io.aftercare.platform.security.CustomerLinkKey;
import io.aftercare.platform.security.DataKey;
import io.aftercare.platform.security.DeviceTokens;
import io.aftercare.platform.security.FailedAuthentication;
import io.aftercare.platform.security.ServerCertificate;
import io.aftercare.platform.security.ServerKey;
import io.aftercare.platform.sessions.DiagnosticSessions;
import io.aftercare.platform.staff.StaffDirectory;
import io.aftercare.platform.staff.StaffSessions;
import io.aftercare.platform.telemetry.TelemetryReader;
import io.aftercare.platform.telemetry.TelemetryRollup;
import io.aftercare.platform.views.SavedViews;
import io.aftercare.platform.worker.WorkerCalls;
import io.aftercare.platform.worker.WorkerRounds;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assembles the platform from its configuration and starts it. This is the one place where the
 * parts are wired together; there is no logic here beyond that.
 */
public final class Platform implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Platform.class);

  /** How long shutdown waits for blocking calls already started (database, bridge, rules). */
  private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(10);

  /** Values sealed per transaction at start-up, before anything else runs. */
  private static final int STARTUP_SEALING_BATCH = 1_000;

  /**
   * Values re-sealed per transaction after a key rotation, while everything runs: small, so that
   * the row locks it takes delay nobody.
   */
  private static final int RESEAL_BATCH = 100;

  private final Deque<AutoCloseable> resources;
  private final CoapDeviceServer coap;
  private final ApiServer api;
  private final int mqttPort;
  private final int mqttTlsPort;
  private final int httpPort;
  private final String adminToken;

  private Platform(
      Deque<AutoCloseable> resources,
      CoapDeviceServer coap,
      ApiServer api,
      int mqttPort,
      int mqttTlsPort,
      int httpPort,
      String adminToken) {
    this.resources = resources;
    this.coap = coap;
    this.api = api;
    this.mqttPort = mqttPort;
    this.mqttTlsPort = mqttTlsPort;
    this.httpPort = httpPort;
    this.adminToken = adminToken;
  }

  /**
   * Starts everything, or fails having stopped whatever had started; fails before anything starts
   * when a configured port is taken ({@link ListenPorts}). Each part is pushed on a stack as it
   * starts, so that shutdown runs in reverse: servers stop taking traffic, the writer commits what
   * is queued and hands it to diagnostics, diagnostics finishes, then the database.
   */
  public static Platform start(AftercareConfig config) {
    return start(config, Clock.systemUTC());
  }

  /**
   * Like {@link #start(AftercareConfig)}, with the service desk (tickets, their clocks and KPIs)
   * reading time from {@code serviceDeskClock}: tests move it to cross SLA targets, working hours
   * and holidays without waiting.
   */
  public static Platform start(AftercareConfig config, Clock serviceDeskClock) {
    ListenPorts.requireFree(config);
    Deque<AutoCloseable> resources = new ArrayDeque<>();
    try {
      AftercareConfig.Database db = config.database();
      String url = db.url();
      String user = db.user();
      String password = db.password();
      EmbeddedPostgresServer embedded = null;
      if (db.embedded()) {
        embedded =
            EmbeddedPostgresServer.start(config.dataDir().resolve("postgres"), db.embeddedPort());
        resources.push(embedded);
        url = embedded.jdbcUrl();
        user = embedded.user();
        password = embedded.password();
      }
      Database database = Database.open(db, url, user, password);
      resources.push(database);
      if (embedded != null) {
        embedded.sealAuditLog();
      }
      String adminToken = AdminToken.resolve(config.security().adminToken(), config.dataDir());
      byte[] serverKey = ServerKey.resolve(config.security().serverKey(), config.dataDir());
      DeviceTokens deviceTokens = new DeviceTokens(serverKey);
      SealedText sealed =
          new SealedText(
              DataKey.resolve(config.security().dataKey(), config.dataDir()),
              DataKey.resolvePrevious(config.security().dataKeyPrevious(), config.dataDir()));
      List<SealedField> sealedFields =
          Stream.concat(PlatformSealedFields.fields().stream(), CaseFieldSealing.fields().stream())
              .toList();
      FieldSealing startupSealing =
          new FieldSealing(database.dataSource(), sealed, STARTUP_SEALING_BATCH);
      startupSealing.requireKnownKeys(sealedFields);
      int newlySealed = startupSealing.sealClear(sealedFields);
      if (newlySealed > 0) {
        LOG.info("Sealed {} personal values stored in clear (docs/privacy.md)", newlySealed);
      }

      PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      resources.push(JvmMetrics.bindTo(meters));
      NodeIdentity node = NodeIdentity.of(config.cluster());
      Vertx vertx = await(ClusterVertx.start(config.cluster(), node));
      resources.push(
          () -> vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
      WorkerCalls workers = new WorkerCalls(vertx);
      // Closed after everything that starts blocking calls, before Vert.x: a call finishing after
      // the event loops stopped could not hand back its result.
      resources.push(() -> workers.awaitIdle(SHUTDOWN_WAIT));
      Jdbc jdbc = new Jdbc(workers, database.dataSource());
      // Cluster-wide duties run on the node holding their lease; a node alone holds them all.
      DutyLeases leases =
          new DutyLeases(database.dataSource(), node.id(), config.cluster().nodeTimeout());
      resources.push(leases);
      leases.start();
      if (sealed.previousKeyId().isPresent()) {
        DataKeyReseal reseal =
            new DataKeyReseal(
                workers,
                new FieldSealing(database.dataSource(), sealed, RESEAL_BATCH),
                sealedFields);
        resources.push(reseal::stop);
        reseal.start();
      }
      if (!database.timescale() && !db.retainFor().isZero()) {
        TelemetryRetention.hourly(vertx, jdbc, Clock.systemUTC(), db.retainFor())
            .start(leases, false);
      }
      if (!db.presenceRetainFor().isZero()) {
        PresenceRetention.hourly(vertx, jdbc, Clock.systemUTC(), db.presenceRetainFor())
            .start(leases, true);
      }
      if (!db.sensitiveEventsRetainFor().isZero()) {
        SensitiveEventRetention.hourly(
                vertx, jdbc, Clock.systemUTC(), db.sensitiveEventsRetainFor())
            .start(leases, true);
      }
      TelemetryRollup rollup =
          new TelemetryRollup(vertx, jdbc, Clock.systemUTC(), db.rollupInterval(), meters);
      resources.push(rollup::stop);
      rollup.start();
      AftercareConfig.FirmwareGuard guardConfig = config.diagnostics().firmwareGuard();
      GuardThresholds guardThresholds =
          new GuardThresholds(
              guardConfig.minDeviceDays(), guardConfig.minAlarms(), guardConfig.significance());
      new FirmwareRegressionGuard(
              vertx, jdbc, Clock.systemUTC(), guardThresholds, guardConfig.period())
          .start(leases, guardConfig.evaluateEvery());

      DeviceRegistry registry =
          new DeviceRegistry(
              jdbc,
              deviceTokens,
              sealed,
              config.security().credentialCacheTtl(),
              DeviceCredentialPolicy.from(config.tls()));
      DeviceConnectivity connectivity = new DeviceConnectivity(jdbc, node.id());
      connectivity.retryUnrecorded(vertx);
      Gauge.builder(
              "aftercare.connectivity.unrecorded",
              connectivity,
              DeviceConnectivity::unrecordedDevices)
          .description("Devices whose online/offline change waits for the database to return")
          .register(meters);
      NodeSessions nodeSessions =
          new NodeSessions(
              vertx,
              jdbc,
              connectivity,
              node.id(),
              MqttDeviceServer.PROTOCOL,
              config.cluster().nodeTimeout());
      int leftOpen = await(nodeSessions.rejoin(Instant.now())).size();
      if (leftOpen > 0) {
        LOG.warn(
            "{} MQTT sessions were left open by this node's previous run (did it crash?):"
                + " recorded offline",
            leftOpen);
      }
      nodeSessions.start(leases.lease(NodeSessions.SWEEP_DUTY));
      resources.push(nodeSessions);
      AuditLog audit = new AuditLog(jdbc);
      CommandCatalog catalog = CommandCatalog.builtIn();
      CommandService commands =
          new CommandService(
              jdbc,
              catalog,
              audit,
              Clock.systemUTC(),
              config.commands().maxOpenPerDevice(),
              new SecondApprover(
                  Set.copyOf(config.commands().secondApprover()),
                  config.commands().approvalTimeout()),
              new OwnerConsent(serviceDeskClock, config.commands().requireOwnerConsent()),
              new LogBundleIntake(sealed));
      StaffDirectory staff =
          new StaffDirectory(
              jdbc,
              adminToken,
              config.security().credentialCacheTtl(),
              config.security().staffTokenLifetime(),
              Clock.systemUTC());
      await(staff.loadBootstrapAdmin(config.security().reenableBootstrapAdmin()));
      FailedAuthentication failedAuth =
          new FailedAuthentication(
              config.security().failedAuth(), audit, Clock.systemUTC(), meters);
      failedAuth.start(vertx);
      resources.push(failedAuth);

      DiagnosticsService diagnostics =
          diagnostics(
              vertx,
              workers,
              jdbc,
              database,
              catalog,
              commands,
              registry,
              audit,
              config.diagnostics(),
              leases.lease(UnheldDevicesCheck.DUTY)::held,
              new DetectedIncidents(sealed),
              meters);
      diagnostics.start();
      resources.push(diagnostics);
      connectivity.onChange(diagnostics.runner()::connectivityChanged);
      commands.onFinished(diagnostics.runner()::commandFinished);

      AftercareConfig.Ingest ingestConfig = config.ingest();
      TelemetryWriter writer = new TelemetryWriter(database.dataSource(), ingestConfig, meters);
      writer.onCommit(diagnostics.runner()::committed);
      LiveHub live = new LiveHub(vertx, Clock.systemUTC(), LiveHub.HEARTBEAT, meters);
      live.start();
      resources.push(live);
      writer.onCommit(new LiveTelemetry(live));
      DatabaseChanges changes =
          new DatabaseChanges(
              () -> database.openDedicated("aftercare-live"), new ChangeAnnouncements(live));
      changes.start();
      resources.push(changes);
      writer.start();
      resources.push(writer);
      DocumentCodec codec =
          new DocumentCodec(
              new DocumentLimits(
                  ingestConfig.maxDocumentsPerBatch(),
                  ingestConfig.maxMetricsPerDocument(),
                  ingestConfig.maxFutureSkew()));
      IngestService ingest =
          new IngestService(
              codec, writer, commands, jdbc, Clock.systemUTC(), ingestConfig.deviceQuota(), meters);
      new CommandSweeper(vertx, commands, config.commands().sweepInterval(), leases).start();
      AftercareConfig.Bulk bulkLimits = config.commands().bulk();
      BulkDispatcher bulkDispatcher =
          new BulkDispatcher(jdbc, commands, Clock.systemUTC(), bulkLimits.ratePerSecond(), meters);
      bulkDispatcher.start();
      resources.push(bulkDispatcher);
      BulkCommands bulkCommands =
          new BulkCommands(jdbc, commands, bulkDispatcher, bulkLimits, Clock.systemUTC(), sealed);

      TicketBridge tickets =
          new TicketBridge(
              CustomerLinkKey.resolve(config.tickets(), serverKey),
              database.dataSource(),
              serviceDeskClock,
              sealed,
              leases);
      tickets.start();
      resources.push(tickets);
      DeliveryMetrics.bindTo(tickets.deliveries(), meters);
      Notifications notifications =
          new Notifications(config.notifications(), vertx, jdbc, serviceDeskClock);
      notifications.start();
      resources.push(notifications);

      CoapDeviceServer coap =
          new CoapDeviceServer(
              vertx,
              config.coap(),
              config.tls(),
              ingest,
              commands,
              registry,
              connectivity,
              failedAuth,
              meters,
              leases);
      Optional<ServerCertificate> certificate =
          ServerCertificate.resolve(config.tls(), config.dataDir());
      MqttDeviceServer mqtt =
          new MqttDeviceServer(
              vertx,
              config.mqtt(),
              ingest,
              commands,
              registry,
              connectivity,
              failedAuth,
              meters,
              certificate,
              config.tls().mqttPort(),
              node);
      ApiServer api =
          new ApiServer(
              vertx,
              config.http(),
              certificate,
              ingest,
              registry,
              new TelemetryReader(jdbc),
              staff,
              failedAuth,
              new StaffSessions(
                  jdbc,
                  serverKey,
                  config.security().sessionIdleTimeout(),
                  config.security().sessionMaxAge(),
                  Clock.systemUTC()),
              commands,
              diagnostics,
              audit,
              tickets,
              notifications,
              live,
              bulkCommands,
              new SavedViews(jdbc),
              new FleetHealthSeries(jdbc),
              new SupportSessions(jdbc, tickets.customerCases(), serviceDeskClock),
              new LogBundles(jdbc, sealed),
              new FirmwareFleet(jdbc, guardThresholds, guardConfig.rollbackPlaybook()),
              workers,
              meters,
              new ServiceMetrics(jdbc, meters));

      // Before the doors open: commands and rule reloads from other nodes must find this one.
      await(CommandWakeUps.route(vertx.eventBus(), commands));
      await(RuleReloads.share(vertx.eventBus(), node, diagnostics));
      int mqttPort = await(mqtt.start());
      // Device connections close before the writer and the database: each records its device
      // offline.
      resources.push(() -> await(mqtt.close()));
      coap.start();
      resources.push(coap);
      int httpPort = await(api.start());
      resources.push(() -> await(api.close()));
      LOG.info(
          "Aftercare is up: MQTT port {}, CoAP ports {} and {} (DTLS), HTTP port {}",
          mqttPort,
          coap.port(),
          coap.securePort(),
          httpPort);
      if (mqtt.tlsPort() >= 0) {
        LOG.info("MQTT over TLS port {}, and the HTTP port serves HTTPS", mqtt.tlsPort());
      }
      return new Platform(resources, coap, api, mqttPort, mqtt.tlsPort(), httpPort, adminToken);
    } catch (RuntimeException e) {
      closeAll(resources);
      throw e;
    }
  }

  /**
   * The diagnostics runtime: the engine on its runner thread (inbox, restore, handlers), the
   * remote-fix-first decisions it stores with each alarm change, alarms and sessions for the API.
   */
  private static DiagnosticsService diagnostics(
      Vertx vertx,
      WorkerCalls workers,
      Jdbc jdbc,
      Database database,
      CommandCatalog catalog,
      CommandService commands,
      DeviceRegistry registry,
      AuditLog audit,
      AftercareConfig.Diagnostics config,
      BooleanSupplier silentDevicesDuty,
      DetectedIncidents detectedIncidents,
      MeterRegistry meters) {
    Clock clock = Clock.systemUTC();
    RuleRegistry rules = DiagnosticsService.loadRules(config, catalog);
    DiagnosticsEngine engine = new DiagnosticsEngine(rules);
    RemoteFixFirst remoteFixFirst =
        new RemoteFixFirst(new RemediationPolicy(config.verifyWindow()), commands);
    AlarmDecisions decisions = new AlarmDecisions(jdbc, remoteFixFirst, commands, clock);
    HealthChecks healthChecks = new HealthChecks(jdbc, rules, config.healthCheck().window(), clock);
    WorkerRounds.every(
        vertx, workers, config.healthCheck().interval(), "Health checks", healthChecks::decideDue);
    DeviceProfiles profiles = new DeviceProfiles(database.dataSource());
    commands.onFinished(profiles::commandFinished);
    DiagnosticsRunner runner =
        new DiagnosticsRunner(
            new DiagnosticsInbox(config.queueCapacity(), meters),
            decisions,
            new DiagnosticsHandlers(
                jdbc,
                profiles,
                engine,
                rules,
                remoteFixFirst,
                decisions,
                commands,
                clock,
                config.restoreWindow(),
                config.tickInterval(),
                config.homeOutage(),
                new FleetIncidents(rules, config.fleetIncident(), detectedIncidents),
                silentDevicesDuty),
            clock);
    DiagnosticSessions sessions =
        new DiagnosticSessions(
            vertx,
            jdbc,
            registry,
            commands,
            rules,
            clock,
            config.sessionHistory(),
            config.selfTestTimeout());
    StaffPlaybookRuns playbookRuns =
        new StaffPlaybookRuns(
            jdbc,
            commands,
            rules,
            new StepPreconditions(new ConditionCompiler()),
            new ExpectedOutcome(new ConditionCompiler()),
            config.verifyWindow(),
            clock);
    WorkerRounds.every(
        vertx,
        workers,
        config.tickInterval(),
        "Playbook run verifications",
        playbookRuns::verifyDue);
    // Runs move on from a worker: command listeners run on the committing thread.
    commands.onFinished(
        command ->
            workers
                .run(
                    () -> {
                      playbookRuns.commandEnded(command);
                      return null;
                    })
                .onFailure(
                    e ->
                        LOG.error(
                            "Could not move on the playbook run of command {}",
                            command.commandId(),
                            e)));
    return new DiagnosticsService(
        vertx,
        workers,
        rules,
        runner,
        new Alarms(jdbc, runner),
        sessions,
        playbookRuns,
        audit,
        config);
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

  /** The port of MQTT over TLS, or -1 without a certificate. */
  public int mqttTlsPort() {
    return mqttTlsPort;
  }

  public int httpPort() {
    return httpPort;
  }

  public int coapPort() {
    return coap.port();
  }

  public int coapsPort() {
    return coap.securePort();
  }

  /** Reaches CoAP devices observing their commands; for the command service. */
  public CoapCommandChannel coapCommands() {
    return coap.commands();
  }

  /** The HTTP server; tests compare its routes with the OpenAPI document. */
  public ApiServer api() {
    return api;
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
  public synchronized void close() {
    closeAll(resources);
  }

  private static void closeAll(Deque<AutoCloseable> resources) {
    while (!resources.isEmpty()) {
      AutoCloseable resource = resources.pop();
      try {
        resource.close();
      } catch (Exception e) {
        LOG.warn("{} did not stop cleanly", resource, e);
      }
    }
  }
}
