package io.aftercare.platform.api;

import io.aftercare.bridge.TicketBridge;
import io.aftercare.platform.alarms.DiagnosticsService;
import io.aftercare.platform.alarms.RemoteFixesWithoutTicket;
import io.aftercare.platform.audit.AuditLog;
import io.aftercare.platform.bulk.BulkCommands;
import io.aftercare.platform.command.CommandService;
import io.aftercare.platform.config.AftercareConfig;
import io.aftercare.platform.device.DeviceRegistry;
import io.aftercare.platform.fleet.FleetHealthSeries;
import io.aftercare.platform.ingest.IngestService;
import io.aftercare.platform.live.LiveHub;
import io.aftercare.platform.metrics.ServiceMetrics;
import io.aftercare.platform.notify.Notifications;
import io.aftercare.platform.staff.StaffDirectory;
import io.aftercare.platform.staff.StaffSessions;
import io.aftercare.platform.telemetry.TelemetryReader;
import io.aftercare.platform.views.SavedViews;
import io.aftercare.platform.worker.WorkerCalls;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
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

  /** A {@code %} that does not start a percent escape ({@code %zz}, a trailing {@code %}). */
  private static final Pattern BROKEN_ESCAPE = Pattern.compile("%(?![0-9A-Fa-f]{2})");

  private final Vertx vertx;
  private final AftercareConfig.Http config;
  private final IngestService ingest;
  private final PrometheusMeterRegistry meters;
  private final HttpRequestMetrics requestMetrics;
  private final ServiceMetrics serviceMetrics;
  private final StaffAccess access;
  private final DeviceRoutes devices;
  private final FirmwareRoutes firmware;
  private final StaffRoutes staff;
  private final CommandRoutes commands;
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
  private HttpServer server;
  private Router router;

  public ApiServer(
      Vertx vertx,
      AftercareConfig.Http config,
      IngestService ingest,
      DeviceRegistry registry,
      TelemetryReader telemetry,
      StaffDirectory staffDirectory,
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
      WorkerCalls workers,
      PrometheusMeterRegistry meters,
      ServiceMetrics serviceMetrics) {
    this.vertx = vertx;
    this.config = config;
    this.ingest = ingest;
    this.meters = meters;
    this.requestMetrics = new HttpRequestMetrics(meters);
    this.serviceMetrics = serviceMetrics;
    this.access = new StaffAccess(staffDirectory, staffSessions, audit);
    this.session = new SessionRoutes(staffDirectory, staffSessions, audit);
    this.live = new LiveRoutes(liveHub, registry);
    this.devices = new DeviceRoutes(registry, telemetry, diagnosticsService.alarms(), access);
    this.firmware = new FirmwareRoutes(registry);
    this.staff = new StaffRoutes(staffDirectory, ticketBridge.technicians(), audit, access);
    this.commands = new CommandRoutes(commandService, access);
    this.commandCatalog = new CommandCatalogRoutes(registry, commandService.catalog());
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
    openApi.mount(root);

    Router api = Router.router(vertx);
    api.route().handler(requestMetrics::handle);
    api.route().handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES));
    // Signing in is how a console gets its credential: ahead of authentication.
    session.mountSignIn(api);
    api.route().handler(access::authenticate);
    session.mount(api);
    live.mount(api);
    devices.mount(api);
    firmware.mount(api);
    staff.mount(api);
    commands.mount(api);
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
    api.route().failureHandler(Problems::handle);
    requestMetrics.routesMounted(api);
    root.route("/api/v1/*").subRouter(api);
    new ConsoleRoutes().mount(root);
    root.route().last().handler(ctx -> Problems.send(ctx, 404, "Not Found", "no such resource"));
    root.route().failureHandler(Problems::handle);
    router = root;

    return vertx
        .createHttpServer(
            new HttpServerOptions()
                .setHost(config.host())
                .setPort(config.port())
                // No cleartext HTTP/2 upgrade: clients that offer h2c (the JDK HttpClient does by
                // default) stalled or read garbage on large answers such as the OpenAPI document.
                .setHttp2ClearTextEnabled(false))
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
              LOG.info("HTTP API listening on {}:{}", config.host(), started.actualPort());
              return started.actualPort();
            });
  }

  /**
   * Liveness and readiness: 200 while the database takes writes, 503 (with the reason) while it
   * does not, so a load balancer stops sending devices here.
   */
  private void health(RoutingContext ctx) {
    boolean ready = ingest.storeAvailable();
    JsonObject body =
        new JsonObject()
            .put("status", ready ? "up" : "degraded")
            .put("database", ready ? "up" : "unavailable");
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
