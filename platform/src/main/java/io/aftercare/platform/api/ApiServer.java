package io.aftercare.platform.api;

import io.aftercare.bridge.TicketBridge;
import io.aftercare.platform.alarms.DiagnosticsService;
import io.aftercare.platform.alarms.RemoteFixesWithoutTicket;
import io.aftercare.platform.audit.AuditLog;
import io.aftercare.platform.bulk.BulkCommands;
import io.aftercare.platform.command.CommandService;
import io.aftercare.platform.config.AftercareConfig;
import io.aftercare.platform.consent.SupportSessions;
import io.aftercare.platform.device.DeviceRegistry;
import io.aftercare.platform.fleet.FleetHealthSeries;
import io.aftercare.platform.fleet.firmware.FirmwareFleet;
import io.aftercare.platform.ingest.IngestService;
import io.aftercare.platform.live.LiveHub;
import io.aftercare.platform.logs.LogBundles;
import io.aftercare.platform.metrics.ServiceMetrics;
import io.aftercare.platform.notify.Notifications;
import io.aftercare.platform.security.FailedAuthentication;
import io.aftercare.platform.security.ServerCertificate;
import io.aftercare.platform.staff.StaffDirectory;
import io.aftercare.platform.staff.StaffSessions;
import io.aftercare.platform.telemetry.TelemetryReader;
import io.aftercare.platform.views.SavedViews;
import io.aftercare.platform.worker.WorkerCalls;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: staff REST API under {@code /api/v1}, the customer's case under {@code
 * /api/v1/customer}, {@code /health}, {@code /metrics}, and the support console at {@code /}.
 */
public final class ApiServer {

  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
  private static final long MAX_BODY_BYTES = 64 * 1024;

  /** Vert.x's name for Netty's HTTP/1.1 request decoder in a connection's pipeline. */
  private static final String HTTP_DECODER = "httpDecoder";

  /** A {@code %} that does not start a percent escape ({@code %zz}, a trailing {@code %}). */
  private static final Pattern BROKEN_ESCAPE = Pattern.compile("%(?![0-9A-Fa-f]{2})");

  private final Vertx vertx;
  private final AftercareConfig.Http config;
  private final Optional<ServerCertificate> certificate;
  private final IngestService ingest;
  private final PrometheusMeterRegistry meters;
  private final HttpRequestMetrics requestMetrics;
  private final ServiceMetrics serviceMetrics;
  private final StaffAccess access;
  private final DeviceRoutes devices;
  private final SensitiveReadAudit sensitiveReads;
  private final FirmwareRoutes firmware;
  private final StaffRoutes staff;
  private final AuditChainRoutes auditChain;
  private final CommandRoutes commands;
  private final CommandApprovalRoutes commandApprovals;
  private final CommandCatalogRoutes commandCatalog;
  private final AlarmRoutes alarms;
  private final DiagnosticsRoutes diagnostics;
  private final TicketRoutes tickets;
  private final KpiRoutes kpis;
  private final CustomerAvailabilityRoutes customerAvailability;
  private final TechnicianRoutes technicians;
  private final AppointmentRoutes appointments;
  private final PartRoutes parts;
  private final TicketExportRoutes ticketExport;
  private final IncidentRoutes incidents;
  private final ComplaintRoutes complaints;
  private final BridgeRoutes bridge;
  private final QuoteRoutes quotes;
  private final CustomerLinkRoutes customerLinks;
  private final FollowUpRoutes followUps;
  private final CustomerRoutes customer;
  private final NotificationRoutes notifications;
  private final SessionRoutes session;
  private final LiveRoutes live;
  private final BulkCommandRoutes bulkCommands;
  private final ViewRoutes views;
  private final FleetHealthRoutes fleetHealth;
  private final CustomerSupportSessionRoutes customerSupportSessions;
  private final SupportSessionRoutes supportSessions;
  private final LogBundleRoutes logBundles;
  private final FleetFirmwareRoutes fleetFirmware;
  private final HomeAlarmRoutes homeAlarms;
  private final PlaybookRunRoutes playbookRuns;
  private HttpServer server;
  private Router router;

  public ApiServer(
      Vertx vertx,
      AftercareConfig.Http config,
      Optional<ServerCertificate> certificate,
      IngestService ingest,
      DeviceRegistry registry,
      TelemetryReader telemetry,
      StaffDirectory staffDirectory,
      FailedAuthentication failedAuth,
      StaffSessions staffSessions,
      CommandService commandService,
      DiagnosticsService diagnosticsService,
      AuditLog audit,
      TicketBridge ticketBridge,
      Notifications notifications,
      LiveHub liveHub,
      BulkCommands bulkCommands,
      SavedViews views,
      FleetHealthSeries fleetHealth,
      SupportSessions supportSessions,
      LogBundles logBundles,
      FirmwareFleet firmwareFleet,
      WorkerCalls workers,
      PrometheusMeterRegistry meters,
      ServiceMetrics serviceMetrics) {
    this.vertx = vertx;
    this.config = config;
    this.certificate = certificate;
    this.ingest = ingest;
    this.meters = meters;
    this.requestMetrics = new HttpRequestMetrics(meters);
    this.serviceMetrics = serviceMetrics;
    this.access = new StaffAccess(staffDirectory, staffSessions, audit, failedAuth);
    this.session = new SessionRoutes(staffDirectory, staffSessions, audit, access);
    this.live = new LiveRoutes(liveHub, registry);
    this.sensitiveReads = new SensitiveReadAudit(audit);
    this.devices = new DeviceRoutes(registry, telemetry, diagnosticsService.alarms(), access);
    this.firmware = new FirmwareRoutes(registry);
    this.staff = new StaffRoutes(staffDirectory, ticketBridge.technicians(), audit, access);
    this.auditChain = new AuditChainRoutes(audit, access);
    this.commands = new CommandRoutes(commandService, access);
    this.commandApprovals = new CommandApprovalRoutes(commandService, access);
    this.commandCatalog =
        new CommandCatalogRoutes(registry, commandService.catalog(), commandService::needsConsent);
    this.alarms = new AlarmRoutes(diagnosticsService.alarms(), access);
    this.diagnostics = new DiagnosticsRoutes(diagnosticsService, access);
    BridgeCalls bridgeCalls = new BridgeCalls(workers);
    this.tickets =
        new TicketRoutes(
            ticketBridge.tickets(),
            bridgeCalls,
            access,
            diagnosticsService.sessions(),
            ticketBridge.reportedDiagnosticsWindow());
    this.ticketExport = new TicketExportRoutes(ticketBridge.tickets(), bridgeCalls, access);
    this.kpis = new KpiRoutes(ticketBridge.kpis(), new RemoteFixesWithoutTicket(), bridgeCalls);
    this.customerAvailability =
        new CustomerAvailabilityRoutes(ticketBridge.tickets(), bridgeCalls, access);
    this.technicians = new TechnicianRoutes(ticketBridge.technicians(), bridgeCalls, access);
    this.appointments = new AppointmentRoutes(ticketBridge.appointments(), bridgeCalls, access);
    this.parts = new PartRoutes(ticketBridge.parts(), bridgeCalls, access);
    this.incidents =
        new IncidentRoutes(
            ticketBridge.incidents(), ticketBridge.incidentDeclarations(), bridgeCalls, access);
    this.complaints = new ComplaintRoutes(ticketBridge.complaints(), bridgeCalls, access);
    this.bridge =
        new BridgeRoutes(ticketBridge.tickets(), ticketBridge.inbound(), bridgeCalls, access);
    this.quotes = new QuoteRoutes(ticketBridge.customerCare(), bridgeCalls, access);
    this.customerLinks = new CustomerLinkRoutes(ticketBridge.customerCare(), bridgeCalls, access);
    this.followUps = new FollowUpRoutes(ticketBridge.customerCare(), bridgeCalls, access);
    this.customer = new CustomerRoutes(ticketBridge.customerCases(), bridgeCalls);
    this.notifications = new NotificationRoutes(notifications);
    this.bulkCommands = new BulkCommandRoutes(bulkCommands, access);
    this.views = new ViewRoutes(views);
    this.fleetHealth = new FleetHealthRoutes(fleetHealth, Clock.systemUTC());
    this.customerSupportSessions =
        new CustomerSupportSessionRoutes(supportSessions, commandService);
    this.supportSessions = new SupportSessionRoutes(supportSessions);
    this.logBundles = new LogBundleRoutes(logBundles, access);
    this.fleetFirmware =
        new FleetFirmwareRoutes(
            firmwareFleet,
            firmwareFleet.rollbacks(diagnosticsService.playbookRuns()),
            access,
            Clock.systemUTC());
    this.homeAlarms = new HomeAlarmRoutes(diagnosticsService.alarms());
    this.playbookRuns = new PlaybookRunRoutes(diagnosticsService.playbookRuns(), access);
  }

  /** Starts listening; completes with the actual port. */
  public Future<Integer> start() {
    Router root = Router.router(vertx);
    OpenApiRoutes openApi = new OpenApiRoutes();
    DocumentedRoutes documented = new DocumentedRoutes(openApi.document());
    // Every documented path, /health and /metrics included; the console's are not in the document.
    root.route().handler(documented::check);
    root.get("/health").handler(this::health);
    root.get("/metrics").handler(this::metrics);
    bridge.mountInbound(root);
    // The customer's routes answer to a case link token, not a staff token: ahead of the staff API.
    customer.mount(root);
    customerSupportSessions.mount(root);
    openApi.mount(root);

    Router api = Router.router(vertx);
    api.route().handler(requestMetrics::handle);
    api.route().handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES));
    // Signing in is how a console gets its credential: ahead of authentication.
    session.mountSignIn(api);
    api.route().handler(access::authenticate);
    api.get().handler(sensitiveReads::handle);
    session.mount(api);
    live.mount(api);
    devices.mount(api);
    firmware.mount(api);
    staff.mount(api);
    auditChain.mount(api);
    commands.mount(api);
    commandApprovals.mount(api);
    commandCatalog.mount(api);
    alarms.mount(api);
    diagnostics.mount(api);
    ticketExport.mount(api);
    tickets.mount(api);
    kpis.mount(api);
    customerAvailability.mount(api);
    technicians.mount(api);
    appointments.mount(api);
    parts.mount(api);
    incidents.mount(api);
    complaints.mount(api);
    bridge.mount(api);
    quotes.mount(api);
    notifications.mount(api);
    customerLinks.mount(api);
    followUps.mount(api);
    bulkCommands.mount(api);
    views.mount(api, documented);
    fleetHealth.mount(api);
    supportSessions.mount(api);
    logBundles.mount(api);
    fleetFirmware.mount(api);
    homeAlarms.mount(api);
    playbookRuns.mount(api);
    api.route().failureHandler(Problems::handle);
    requestMetrics.routesMounted(api);
    root.route("/api/v1/*").subRouter(api);
    new ConsoleRoutes().mount(root);
    root.route().last().handler(ctx -> Problems.send(ctx, 404, "Not Found", "no such resource"));
    root.route().failureHandler(Problems::handle);
    router = root;

    Counter timedOut =
        Counter.builder("aftercare.http.request.timeouts")
            .description(
                "HTTP connections closed because a request head or body did not arrive in time")
            .register(meters);
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(config.host())
            .setPort(config.port())
            .setIdleTimeout(Math.toIntExact(config.idleTimeout().toMillis()))
            .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
            // No cleartext HTTP/2 upgrade: clients that offer h2c (the JDK HttpClient does by
            // default) stalled or read garbage on large answers such as the OpenAPI document.
            .setHttp2ClearTextEnabled(false);
    // With a certificate the port serves HTTPS only: staff tokens and session cookies never cross
    // the network in clear.
    certificate.ifPresent(c -> c.secure(options));
    return vertx
        .createHttpServer(options)
        .connectionHandler(connection -> guardRequestTimes(connection, timedOut))
        .requestHandler(
            request -> {
              // The router refuses such a path in plain text before any handler of ours runs.
              if (BROKEN_ESCAPE.matcher(request.path()).find()) {
                Problems.refuse(
                    request, 400, "the path has a '%' not followed by two hexadecimal digits");
              } else {
                root.handle(request);
              }
            })
        .invalidRequestHandler(Problems::invalidRequest)
        .listen()
        .map(
            started -> {
              server = started;
              LOG.info(
                  "HTTP API listening on {}:{} ({})",
                  config.host(),
                  started.actualPort(),
                  certificate.isPresent() ? "HTTPS" : "plain HTTP");
              return started.actualPort();
            });
  }

  /**
   * Puts {@link RequestTimeouts} behind the HTTP/1.1 decoder of a new connection. Vert.x has no
   * public hook for this, so its connection's Netty channel is reached through the implementation
   * class; a connection of another kind (none today) keeps the idle time-out only.
   */
  private void guardRequestTimes(HttpConnection connection, Counter timedOut) {
    if (!(connection instanceof ConnectionBase base)
        || base.channel().pipeline().get(HTTP_DECODER) == null) {
      LOG.debug("No request time-outs on {}", connection.getClass().getName());
      return;
    }
    base.channel()
        .pipeline()
        .addAfter(
            HTTP_DECODER,
            RequestTimeouts.NAME,
            new RequestTimeouts(config.headerTimeout(), config.bodyTimeout(), timedOut::increment));
  }

  /**
   * Liveness and readiness: 200 while the database takes writes, 503 (with the reason) while it
   * does not, so a load balancer stops sending devices here.
   */
  private void health(RoutingContext ctx) {
    boolean storeAvailable = ingest.storeAvailable();
    // A stalled writer acknowledges nothing though the database still takes connections.
    Optional<String> stall = ingest.writerStall();
    boolean ready = storeAvailable && stall.isEmpty();
    JsonObject body =
        new JsonObject()
            .put("status", ready ? "up" : "degraded")
            .put("database", storeAvailable ? "up" : "unavailable")
            .put("writer", stall.isEmpty() ? "up" : "stalled");
    stall.ifPresent(reason -> body.put("reason", reason));
    ctx.response()
        .setStatusCode(ready ? 200 : 503)
        .putHeader("content-type", "application/json")
        .end(body.toBuffer());
  }

  private void metrics(RoutingContext ctx) {
    serviceMetrics
        .fresh()
        .onComplete(
            counted ->
                ctx.response()
                    .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(meters.scrape()));
  }

  /**
   * The routes being served, once started: the OpenAPI drift test compares them with the document.
   */
  Router router() {
    return router;
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
