package io.aftercare.bridge;

import io.aftercare.bridge.lease.DutyLeases;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ticket bridge assembled from its configuration: the services the platform's routes call, and
 * the background work on the bridge's own threads - the request processor, the SLA/escalation
 * check, the delivery workers, and the archive and outbox retention jobs. With several platform
 * nodes on one database, each job but delivery runs on the node holding its {@link DutyLeases
 * lease}; delivery runs on every node, an event at a time locked by the worker sending it.
 */
public final class TicketBridge implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TicketBridge.class);

  private final BridgeConfig config;
  private final TicketService tickets;
  private final KpiService kpis;
  private final TechnicianService technicians;
  private final AppointmentService appointments;
  private final PartService parts;
  private final InboundWebhooks inbound;
  private final CustomerCare customerCare;
  private final CustomerCases customerCases;
  private final RequestProcessor requests;
  private final EscalationCheck escalation;
  private final IncidentService incidents;
  private final IncidentDeclarations incidentDeclarations;
  private final IncidentClockCheck incidentClocks;
  private final ComplaintService complaints;
  private final ComplaintClockCheck complaintClocks;
  private final DeliveryWorker delivery;
  private final DeliveryTally deliveries = new DeliveryTally();
  private final CaseArchive archive;
  private final OutboxRetention outboxRetention;
  private final SlaDeadlines deadlines;
  private final KeptOutcomes outcomes;
  private final Tx tx;
  private final DutyLeases leases;
  private ScheduledExecutorService scheduler;

  /**
   * @param sealed opens the customer references the platform keeps sealed in its devices table, and
   *     seals those of tickets and complaints
   * @param leases decide which node runs the jobs that must run once across the cluster
   */
  public TicketBridge(
      BridgeConfig config,
      DataSource dataSource,
      Clock clock,
      SealedText sealed,
      DutyLeases leases) {
    this.config = config;
    this.leases = leases;
    BusinessCalendar calendar =
        BusinessCalendar.of(
            config.calendar().workingHours(),
            config.calendar().zone(),
            config.calendar().holidays());
    SlaClocks clocks = new SlaClocks(new SlaTargets(config.sla()), config.warningRatio(), calendar);
    this.deadlines = new SlaDeadlines(clocks, clock);
    ZoneId zone = zone(config.calendar().zone());
    WorkingDays workingDays = new WorkingDays(calendar, zone);
    this.outcomes =
        new KeptOutcomes(
            clocks, workingDays, clock, KeptOutcomes.basis(config.sla(), config.calendar()));
    Tx tx = new Tx(dataSource, deadlines, outcomes, sealed);
    this.tx = tx;
    WebhookSignature signature = signature(config.connector().webhookSecret());
    PriorityMatrix priorities = new PriorityMatrix(config.priority());
    BridgeConfig.CustomerCare care = config.customerCare();
    this.tickets =
        new TicketService(
            tx, clock, clocks, new CaseIntake(priorities, config.warrantyMonths(), sealed), care);
    this.kpis =
        new KpiService(
            tx,
            clock,
            new KpiCalculator(clocks, workingDays),
            outcomes,
            zone,
            config.reopenWindow());
    this.technicians = new TechnicianService(tx, clock);
    this.appointments = new AppointmentService(tx, clock);
    this.parts = new PartService(tx, clock, care);
    this.inbound = new InboundWebhooks(tx, clock, signature, config.inboundTolerance(), care);
    CustomerLinks links = CustomerLinks.withKey(care.linkSecret());
    this.customerCare = new CustomerCare(tx, clock, links, care);
    this.customerCases = new CustomerCases(tx, clock, links);
    this.requests =
        new RequestProcessor(
            tx,
            clock,
            priorities,
            config.warrantyMonths(),
            config.episodeWindow(),
            config.reopenWindow(),
            care,
            sealed);
    this.escalation = new EscalationCheck(tx, clock, clocks);
    this.archive = new CaseArchive(tx, clock, config.archiveAfter());
    this.outboxRetention = new OutboxRetention(tx, clock, config.retention().deliveredEvents());
    IncidentClocks incidentTargets = new IncidentClocks(config.incidents(), config.warningRatio());
    this.incidents = new IncidentService(tx, clock, incidentTargets);
    this.incidentDeclarations = new IncidentDeclarations(tx, clock, incidents);
    this.incidentClocks = new IncidentClockCheck(tx, clock, incidentTargets);
    ComplaintClock complaintClock = new ComplaintClock(config.complaints(), config.warningRatio());
    this.complaints = new ComplaintService(tx, clock, complaintClock);
    this.complaintClocks = new ComplaintClockCheck(tx, clock, complaintClock);
    HelpdeskConnector connector = connector(config, signature, clock);
    SecureRandom random = new SecureRandom();
    this.delivery =
        connector == null
            ? null
            : new DeliveryWorker(
                tx,
                clock,
                connector,
                new RetryPolicy(config.retry(), random::nextDouble),
                deliveries);
  }

  /** Helpdesk delivery attempts since start-up, by outcome (all zero with no helpdesk set). */
  public DeliveryTally deliveries() {
    return deliveries;
  }

  public TicketService tickets() {
    return tickets;
  }

  public KpiService kpis() {
    return kpis;
  }

  public TechnicianService technicians() {
    return technicians;
  }

  public AppointmentService appointments() {
    return appointments;
  }

  public PartService parts() {
    return parts;
  }

  public InboundWebhooks inbound() {
    return inbound;
  }

  /** Staff actions on the customer's side of a case: quotes, links, acceptance, follow-up. */
  public CustomerCare customerCare() {
    return customerCare;
  }

  /** The customer-facing API's service, reached with a customer link token. */
  public CustomerCases customerCases() {
    return customerCases;
  }

  /**
   * How far back the platform gathers a device's diagnostic sessions for a customer-reported case.
   */
  public Duration reportedDiagnosticsWindow() {
    return config.reportedDiagnosticsWindow();
  }

  public IncidentService incidents() {
    return incidents;
  }

  /** Where incidents are declared: by staff now, by an outage detector later. */
  public IncidentDeclarations incidentDeclarations() {
    return incidentDeclarations;
  }

  public ComplaintService complaints() {
    return complaints;
  }

  /** Starts the background work; does nothing when the bridge is disabled. */
  public synchronized void start() {
    if (scheduler != null) {
      return;
    }
    // The stored SLA deadlines follow the configured targets and calendar, which may have changed
    // since the last run.
    tx.run(
        c -> {
          deadlines.refreshAll(c);
          return null;
        });
    // The tickets a database had before their outcomes were kept (V86), a batch per transaction.
    // Until then a KPI read computes those it meets itself.
    int computed;
    do {
      computed = tx.run(outcomes::computeNotComputed);
    } while (computed > 0);
    if (!config.enabled()) {
      return;
    }
    int workers = delivery == null ? 0 : config.deliveryWorkers();
    // One thread per job: the request processor, the ticket, incident and complaint checks, the
    // archive and the outbox retention, so that a delivery waiting on a slow helpdesk never holds
    // back a clock check.
    scheduler =
        Executors.newScheduledThreadPool(
            6 + workers,
            runnable -> {
              Thread thread = new Thread(runnable, "ticket-bridge");
              thread.setDaemon(true);
              return thread;
            });
    // Requests are processed by one node, in order, as a single process does.
    onceInCluster(config.pollInterval(), "ticket requests", requests::drain);
    onceInCluster(config.escalationInterval(), "SLA check", escalation::runOnce);
    onceInCluster(config.retention().interval(), "archive", archive::runOnce);
    onceInCluster(config.retention().interval(), "outbox retention", outboxRetention::runOnce);
    onceInCluster(config.escalationInterval(), "incident clock check", incidentClocks::runOnce);
    onceInCluster(config.escalationInterval(), "complaint clock check", complaintClocks::runOnce);
    // Delivery needs no lease: each worker locks the event it sends (SKIP LOCKED) and the events of
    // a ticket go in order, so the workers of all nodes together are just more workers.
    for (int i = 0; i < workers; i++) {
      every(config.pollInterval(), "delivery", delivery::drain);
    }
    if (delivery == null) {
      LOG.warn("No helpdesk connector configured: ticket events wait in the outbox");
    }
  }

  /** Runs one round of each background job now: for tests that control the clock. */
  public void runOnce() {
    requests.drain();
    escalation.runOnce();
    archive.runOnce();
    incidentClocks.runOnce();
    complaintClocks.runOnce();
    if (delivery != null) {
      delivery.drain();
    }
    outboxRetention.runOnce();
  }

  /** Like {@link #every}, skipping the rounds while another node holds the job's lease. */
  private void onceInCluster(Duration interval, String job, IntSupplier work) {
    DutyLeases.Lease lease = leases.lease(job);
    every(interval, job, () -> lease.held() ? work.getAsInt() : 0);
  }

  private void every(Duration interval, String job, IntSupplier work) {
    scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            work.getAsInt();
          } catch (RuntimeException e) {
            // The next round tries again; a database outage must not end the schedule.
            LOG.warn("Ticket bridge {} failed: {}", job, e.toString());
          }
        },
        0,
        interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** The calendar's zone, in which KPI days are counted; UTC when none is configured. */
  private static ZoneId zone(String name) {
    return name == null || name.isBlank() ? ZoneOffset.UTC : ZoneId.of(name);
  }

  private static WebhookSignature signature(String secret) {
    return secret == null || secret.isBlank() ? null : WebhookSignature.fromSecret(secret);
  }

  private static HelpdeskConnector connector(
      BridgeConfig config, WebhookSignature signature, Clock clock) {
    BridgeConfig.Connector connector = config.connector();
    HelpdeskHttp http =
        new HelpdeskHttp(
            new OutboundAddressGuard(config.outboundAllowPrivate()),
            config.retry().requestTimeout(),
            clock);
    return switch (connector.type()) {
      case "webhook" -> {
        if (connector.webhookUrl() == null || connector.webhookUrl().isBlank()) {
          yield null;
        }
        if (signature == null) {
          throw new IllegalArgumentException("a webhook URL needs tickets.connector.webhookSecret");
        }
        yield new WebhookConnector(URI.create(connector.webhookUrl()), signature, http, clock);
      }
      case "jira" -> {
        BridgeConfig.Jira jira = connector.jira();
        if (jira == null || jira.baseUrl() == null || jira.baseUrl().isBlank()) {
          throw new IllegalArgumentException(
              "the jira connector needs tickets.connector.jira.baseUrl");
        }
        yield new JiraConnector(jira, http);
      }
      default ->
          throw new IllegalArgumentException(
              "tickets.connector.type must be webhook or jira, not " + connector.type());
    };
  }

  @Override
  public synchronized void close() {
    if (scheduler == null) {
      return;
    }
    scheduler.shutdownNow();
    try {
      if (!scheduler.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("Ticket bridge threads did not stop in time");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
