package io.aftercare.simulator.tour;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.simulator.platform.ServiceDeskApi;
import io.aftercare.simulator.scenario.DurationFormat;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A narrated walk through the service desk against a running platform, using only its REST API: (a)
 * the jammed lock's one ticket with its two alarms, (b) a customer-reported case that takes in its
 * device's open alarm, (c) an out-of-warranty repair that starts once the customer accepted the
 * quote through their link, (d) a complaint with its response clock, (e) today's KPI series, (f) a
 * lock command refused without the owner's support session and accepted within one. It waits,
 * polling, for the faults of a running fleet (the demo's lock jams 90 s in); every other record it
 * makes itself, named with {@code runTag} so that a second tour against the same platform does not
 * collide with the first.
 */
public final class ServiceDeskTour {

  static final String LOCK_JAMMED = "lock_jammed";
  static final String REPEATED_ERRORS = "repeated_errors";

  /** The statuses of a ticket still being worked on (before {@code resolved}). */
  private static final Set<String> WORKING =
      Set.of("open", "acknowledged", "dispatched", "in_progress", "awaiting_parts");

  private final ServiceDeskApi admin;
  private final PrintStream out;
  private final Duration wait;
  private final Duration poll;
  private final String runTag;
  private final Clock clock;

  private final List<String> failures = new ArrayList<>();
  private Long lockTicketId;
  private List<String> lockTicketRules;
  private Integer ticketsLinkingLockAlarms;
  private String lockDeviceId;
  private Long reportedCaseId;
  private List<Long> reportedCaseAlarmIds;
  private Long quoteId;
  private String quoteStatus;
  private String workStatus;
  private Long repairTicketId;
  private Long complaintId;
  private String complaintClockState;
  private Integer seriesDays;
  private Integer ticketsOpenedToday;
  private OwnerConsentStep.Outcome ownerConsent;

  /**
   * @param admin the API as the admin (the tour creates a technician and speaks as the customer
   *     too)
   * @param wait how long to wait for the fleet's faults
   * @param poll how often to look meanwhile
   * @param runTag part of the ids of the device and the staff account the tour creates
   */
  public ServiceDeskTour(
      ServiceDeskApi admin,
      PrintStream out,
      Duration wait,
      Duration poll,
      String runTag,
      Clock clock) {
    this.admin = admin;
    this.out = out;
    this.wait = wait;
    this.poll = poll;
    this.runTag = runTag;
    this.clock = clock;
  }

  /** Runs every step; a step that fails is reported and the tour goes on with the next. */
  public TourReport run() throws InterruptedException {
    Instant deadline = clock.instant().plus(wait);
    step("(a) a jammed lock opens one ticket, not two", () -> jammedLock(deadline));
    step("(b) a customer-reported case takes in its device's open alarm", () -> reported(deadline));
    step("(c) a quote accepted through the customer's link", this::acceptedQuote);
    step("(d) a complaint with its 24 h response clock", this::complaint);
    step("(e) the KPI series", this::kpiSeries);
    step(
        "(f) a lock command refused without the owner's support session, accepted within one",
        () ->
            ownerConsent =
                new OwnerConsentStep(admin, out, runTag).run(lockDeviceId, lockTicketId));
    out.println(
        failures.isEmpty()
            ? "done: every step shown"
            : "done: " + failures.size() + " step(s) not shown: " + String.join("; ", failures));
    return new TourReport(
        lockTicketId,
        lockTicketRules,
        ticketsLinkingLockAlarms,
        reportedCaseId,
        reportedCaseAlarmIds,
        quoteId,
        quoteStatus,
        workStatus,
        complaintId,
        complaintClockState,
        seriesDays,
        ticketsOpenedToday,
        ownerConsent == null ? null : ownerConsent.refusedStatus(),
        ownerConsent == null ? null : ownerConsent.acceptedCommandId(),
        ownerConsent == null ? null : ownerConsent.activity(),
        ownerConsent == null ? null : ownerConsent.revokedStatus(),
        List.copyOf(failures));
  }

  private interface Step {
    void run() throws InterruptedException;
  }

  private void step(String title, Step step) throws InterruptedException {
    out.println(title);
    try {
      step.run();
    } catch (IllegalStateException | UncheckedIOException e) {
      failures.add(title.substring(0, 3) + " " + e.getMessage());
      out.println("    not shown: " + e.getMessage());
    }
  }

  // (a) ------------------------------------------------------------------------------------------

  private void jammedLock(Instant deadline) throws InterruptedException {
    out.println(
        "    waiting up to "
            + DurationFormat.format(wait)
            + " for a door lock's "
            + LOCK_JAMMED
            + " ticket (the demo's lock jams 90 s in; remote fixes come first)");
    JsonNode ticket =
        await(deadline, this::jammedLockTicket)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no ticket linking both "
                            + LOCK_JAMMED
                            + " and "
                            + REPEATED_ERRORS
                            + " appeared within "
                            + DurationFormat.format(wait)));
    lockDeviceId = ticket.path("deviceId").asText();
    lockTicketId = ticket.get("id").asLong();
    Map<String, Long> latestByRule = new LinkedHashMap<>();
    for (JsonNode alarm : ticket.get("alarms")) {
      latestByRule.put(alarm.get("ruleId").asText(), alarm.path("alarmId").asLong());
    }
    lockTicketRules = List.copyOf(latestByRule.keySet());
    Set<Long> faultAlarms =
        Set.of(latestByRule.get(LOCK_JAMMED), latestByRule.get(REPEATED_ERRORS));
    List<Long> holders = ticketsHolding(lockDeviceId, faultAlarms);
    ticketsLinkingLockAlarms = holders.size();
    out.println("    " + lockDeviceId + " jammed; before any ticket, remote-fix-first tried:");
    for (long alarmId : faultAlarms.stream().sorted().toList()) {
      out.println("      " + remoteFix(admin.get("/api/v1/alarms/" + alarmId)));
    }
    out.printf(
        "    ticket #%d [%s, %s, %s] links %s; tickets the platform opened for them: %d %s%n",
        lockTicketId,
        ticket.path("priority").asText(),
        ticket.path("status").asText(),
        ticket.path("category").asText(),
        linkedAlarms(ticket),
        holders.size(),
        holders);
    out.printf("    its response clock: %s%n", clock(ticket.path("sla").path("response")));
  }

  /** An alarm and what remote-fix-first did about it, as the alarm records it. */
  private static String remoteFix(JsonNode alarm) {
    List<String> actions = new ArrayList<>();
    for (JsonNode action : alarm.path("remediation").path("actions")) {
      actions.add(action.path("command").asText() + " " + action.path("status").asText("sent"));
    }
    return String.format(
        "alarm #%d %s (%s, %s): remote fix %s%s",
        alarm.get("id").asLong(),
        alarm.path("ruleId").asText(),
        alarm.path("severity").asText(),
        alarm.path("status").asText(),
        alarm.path("remediation").path("state").asText("none"),
        actions.isEmpty() ? "" : " after " + String.join(", ", actions));
  }

  /** A ticket of a door lock whose episode links both rules of the jam, newest first. */
  private Optional<JsonNode> jammedLockTicket() {
    Set<String> locks = new LinkedHashSet<>();
    for (JsonNode alarm :
        admin.get("/api/v1/alarms?ruleId=" + LOCK_JAMMED + "&limit=1000").get("alarms")) {
      locks.add(alarm.get("deviceId").asText());
    }
    for (String lock : locks) {
      for (JsonNode ticket : ticketsOf(lock)) {
        if (detected(ticket) && !"archived".equals(ticket.path("status").asText())) {
          JsonNode detail = admin.get("/api/v1/tickets/" + ticket.get("id").asLong());
          Set<String> rules = new TreeSet<>();
          detail.get("alarms").forEach(a -> rules.add(a.get("ruleId").asText()));
          if (rules.contains(LOCK_JAMMED) && rules.contains(REPEATED_ERRORS)) {
            return Optional.of(detail);
          }
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The device's tickets the platform opened (not a customer's report) whose episode links any of
   * {@code alarmIds}.
   */
  private List<Long> ticketsHolding(String deviceId, Set<Long> alarmIds) {
    List<Long> holders = new ArrayList<>();
    for (JsonNode ticket : ticketsOf(deviceId)) {
      if (!detected(ticket)) {
        continue;
      }
      long id = ticket.get("id").asLong();
      for (JsonNode alarm : admin.get("/api/v1/tickets/" + id).get("alarms")) {
        if (alarmIds.contains(alarm.path("alarmId").asLong())) {
          holders.add(id);
          break;
        }
      }
    }
    return holders;
  }

  // (b) ------------------------------------------------------------------------------------------

  private void reported(Instant deadline) throws InterruptedException {
    JsonNode alarm =
        await(deadline, this::alarmForTheCustomersCall)
            .orElseThrow(() -> new IllegalStateException("no device had an open alarm"));
    String deviceId = alarm.get("deviceId").asText();
    List<Long> working = workingTickets(deviceId);
    out.printf(
        "    the customer of %s phones in; the platform already has alarm #%d %s on it (%s,"
            + " remote fix: %s)%s%n",
        deviceId,
        alarm.get("id").asLong(),
        alarm.get("ruleId").asText(),
        alarm.path("status").asText(),
        alarm.path("remediation").path("state").asText("none"),
        working.isEmpty()
            ? ", no ticket yet"
            : "; its ticket(s) " + working + " are open too (no device without one had an alarm)");
    ServiceDeskApi.Answer answer =
        admin.attempt(
            "POST",
            "/api/v1/tickets",
            Map.of(
                "channel",
                "phone",
                "symptom",
                "The customer says the device keeps misbehaving and the app shows a warning.",
                "serviceType",
                "repair",
                "deviceId",
                deviceId));
    // 201: a new case; 200: the report joined the case already worked for the same fault.
    if (answer.status() != 201 && answer.status() != 200) {
      throw new IllegalStateException(
          "POST /api/v1/tickets answered HTTP "
              + answer.status()
              + ": "
              + answer.body().path("detail").asText(answer.body().toString()));
    }
    boolean joined = answer.status() == 200;
    JsonNode reportedCase = answer.body();
    reportedCaseId = reportedCase.get("id").asLong();
    reportedCaseAlarmIds = new ArrayList<>();
    reportedCase.get("alarms").forEach(a -> reportedCaseAlarmIds.add(a.path("alarmId").asLong()));
    out.printf(
        joined
            ? "    the report joined case #%d [source %s, channel %s, %s, %s] the platform already"
                + " had for that fault: no second case; it links %s%n"
            : "    reported case #%d [source %s, channel %s, %s, %s] links %s%n",
        reportedCaseId,
        reportedCase.path("source").asText(),
        reportedCase.path("intakeChannel").asText("none"),
        reportedCase.path("priority").asText(),
        reportedCase.path("status").asText(),
        linkedAlarms(reportedCase));
    if (working.isEmpty()) {
      out.println(
          "    a fault the platform detects on "
              + deviceId
              + " from now on joins this case instead of opening another");
    }
    if (reportedCaseAlarmIds.isEmpty()) {
      throw new IllegalStateException(
          "the alarm cleared before the case was opened; the case links none");
    }
  }

  /**
   * An open alarm, preferring a device other than the jammed lock whose fault has no ticket yet:
   * the customer calls about something the platform saw but nobody has taken up.
   */
  private Optional<JsonNode> alarmForTheCustomersCall() {
    JsonNode open = admin.get("/api/v1/alarms?status=open&limit=1000").get("alarms");
    JsonNode fallback = null;
    for (JsonNode alarm : open) {
      String deviceId = alarm.get("deviceId").asText();
      if (!deviceId.equals(lockDeviceId) && workingTickets(deviceId).isEmpty()) {
        return Optional.of(alarm);
      }
      if (fallback == null) {
        fallback = alarm;
      }
    }
    return Optional.ofNullable(fallback);
  }

  private List<Long> workingTickets(String deviceId) {
    List<Long> working = new ArrayList<>();
    for (JsonNode ticket : ticketsOf(deviceId)) {
      if (WORKING.contains(ticket.path("status").asText())) {
        working.add(ticket.get("id").asLong());
      }
    }
    return working;
  }

  // (c) ------------------------------------------------------------------------------------------

  private void acceptedQuote() {
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    String deviceId = "tour-fridge-" + runTag;
    admin.post(
        "/api/v1/devices",
        Map.of(
            "id",
            deviceId,
            "type",
            "fridge",
            "model",
            "FR-200",
            "firmware",
            "2.1.0",
            "customerRef",
            "C-TOUR-" + runTag,
            "soldOn",
            today.minusYears(4).toString()),
        201);
    JsonNode ticket =
        admin.post(
            "/api/v1/tickets",
            Map.of(
                "channel",
                "web",
                "symptom",
                "The fridge stays warm and the compressor runs without stopping.",
                "serviceType",
                "repair",
                "deviceId",
                deviceId),
            201);
    repairTicketId = ticket.get("id").asLong();
    JsonNode warranty = ticket.path("evidence").path("device").path("warranty");
    out.printf(
        "    %s, sold %s, reports a warm fridge on the web: case #%d, warranty %s (until %s)%n",
        deviceId,
        warranty.path("soldOn").asText(),
        repairTicketId,
        warranty.path("status").asText(),
        warranty.path("until").asText());

    String name = "tour-tech-" + runTag;
    JsonNode account = admin.post("/api/v1/staff", Map.of("name", name, "role", "technician"), 201);
    admin.put(
        "/api/v1/technicians/" + name,
        Map.of(
            "skills",
            List.of("fridge"),
            "region",
            "demo",
            "certification",
            Map.of("name", "smart-home L2", "expiresOn", today.plusYears(1).toString())),
        200);
    ServiceDeskApi technician = admin.as(account.get("token").asText());
    out.printf(
        "    staff account %s (technician) with a profile: skills [fridge], certified until %s%n",
        name, today.plusYears(1));

    String transitions = "/api/v1/tickets/" + repairTicketId + "/transitions";
    technician.post(
        transitions, Map.of("to", "acknowledged", "note", "called the customer back"), 200);
    JsonNode dispatched =
        technician.post(
            transitions,
            Map.of(
                "to",
                "dispatched",
                "assignee",
                name,
                "channel",
                "on_site",
                "note",
                "visit needed: compressor"),
            200);
    out.printf(
        "    acknowledged and dispatched on site: owner %s, assignee %s%n",
        dispatched.path("owner").asText(), dispatched.path("assignee").asText());

    JsonNode quote =
        technician.post(
            "/api/v1/tickets/" + repairTicketId + "/quotes",
            Map.of(
                "lines",
                List.of(
                    Map.of(
                        "partNumber",
                        "FR-COMP-220",
                        "quantity",
                        1,
                        "unitPrice",
                        new BigDecimal("89.90"))),
                "labour",
                new BigDecimal("60.00"),
                "estimatedMinutes",
                90,
                "currency",
                "EUR"),
            201);
    quoteId = quote.get("id").asLong();
    out.printf(
        "    quote #%d sent: 1 x FR-COMP-220 at 89.90 + labour 60.00 = %s %s, %d min%n",
        quoteId,
        money(quote.path("total")),
        quote.path("currency").asText(),
        quote.path("estimatedMinutes").asInt());

    ServiceDeskApi.Answer early =
        technician.attempt("POST", transitions, Map.of("to", "in_progress", "note", "start work"));
    out.printf(
        "    starting work before the customer decides: HTTP %d %s%n",
        early.status(), early.body().path("detail").asText());
    if (early.status() != 409) {
      throw new IllegalStateException(
          "work on an out-of-warranty case started before the quote was accepted (HTTP "
              + early.status()
              + ")");
    }

    JsonNode link =
        technician.post(
            "/api/v1/tickets/" + repairTicketId + "/customer-links", Map.of("validFor", "7d"), 201);
    out.printf(
        "    customer link %s issued, valid until %s%n",
        link.path("linkId").asText(), link.path("expiresAt").asText());

    ServiceDeskApi customer = admin.as(link.get("token").asText());
    JsonNode view = customer.get("/api/v1/customer/case");
    out.printf(
        "    the customer's app, with the link token only: case #%d %s: \"%s\" quote #%d %s %s %s,"
            + " can decide: %s%n",
        view.path("caseId").asLong(),
        view.path("status").asText(),
        view.path("whatIsHappening").asText(),
        view.path("quote").path("id").asLong(),
        view.path("quote").path("status").asText(),
        money(view.path("quote").path("total")),
        view.path("quote").path("currency").asText(),
        view.path("canDecideQuote").asBoolean());
    JsonNode decided =
        customer.post(
            "/api/v1/customer/case/quote-decision",
            Map.of("quoteId", quoteId, "decision", "accept", "comment", "Please go ahead."),
            200);
    quoteStatus = decided.path("quote").path("status").asText();
    out.printf(
        "    the customer accepts: quote #%d %s; \"%s\"%n",
        quoteId, quoteStatus, decided.path("whatIsHappening").asText());

    JsonNode started =
        technician.post(
            transitions, Map.of("to", "in_progress", "note", "quote accepted; repair starts"), 200);
    workStatus = started.path("status").asText();
    out.printf(
        "    the technician starts work: case #%d %s, repair clock %s%n",
        repairTicketId, workStatus, clock(started.path("sla").path("repair")));
  }

  // (d) ------------------------------------------------------------------------------------------

  private void complaint() {
    Map<String, Object> filing = new LinkedHashMap<>();
    filing.put("channel", "phone");
    filing.put("text", "Nobody told me before the visit that the repair would cost money.");
    if (repairTicketId != null) {
      filing.put("ticketId", repairTicketId);
    } else {
      filing.put("customerRef", "C-TOUR-" + runTag);
    }
    JsonNode complaint = admin.post("/api/v1/complaints", filing, 201);
    complaintId = complaint.get("id").asLong();
    JsonNode responseClock = complaint.path("responseClock");
    complaintClockState = responseClock.path("state").asText();
    out.printf(
        "    complaint #%d %s %s, owner %s, support line %d%n",
        complaintId,
        complaint.has("ticketId") ? "about case #" + complaint.get("ticketId").asLong() : "",
        complaint.path("status").asText(),
        complaint.path("owner").asText(),
        complaint.path("tier").asInt());
    out.printf("    its response clock: %s%n", clock(responseClock));
  }

  // (e) ------------------------------------------------------------------------------------------

  private void kpiSeries() {
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    JsonNode series =
        admin.get(
            "/api/v1/kpis/series?from="
                + today
                + "&to="
                + today.plusDays(1)
                + "&groupBy=deviceType");
    JsonNode days = series.get("days");
    seriesDays = days.size();
    ticketsOpenedToday =
        days.size() == 0 ? 0 : days.get(0).path("overall").path("ticketsOpened").asInt();
    out.printf(
        "    GET /api/v1/kpis/series?from=%s&to=%s&groupBy=deviceType (zone %s)%n",
        today, today.plusDays(1), series.path("zone").asText());
    KpiTable.print(days, out);
    if (ticketsOpenedToday == 0) {
      throw new IllegalStateException("the series counts no ticket opened today");
    }
  }

  // ----------------------------------------------------------------------------------------------

  private interface Probe {
    Optional<JsonNode> look();
  }

  /** Looks until the probe finds something or the deadline passes (one last look then). */
  private Optional<JsonNode> await(Instant deadline, Probe probe) throws InterruptedException {
    while (true) {
      Optional<JsonNode> found = probe.look();
      if (found.isPresent() || !clock.instant().isBefore(deadline)) {
        return found;
      }
      Thread.sleep(
          Math.max(
              1,
              Math.min(poll.toMillis(), Duration.between(clock.instant(), deadline).toMillis())));
    }
  }

  private static boolean detected(JsonNode ticket) {
    return "detected".equals(ticket.path("source").asText());
  }

  private List<JsonNode> ticketsOf(String deviceId) {
    List<JsonNode> tickets = new ArrayList<>();
    admin
        .get("/api/v1/tickets?deviceId=" + ServiceDeskApi.enc(deviceId) + "&limit=1000")
        .get("tickets")
        .forEach(tickets::add);
    return tickets;
  }

  private static String linkedAlarms(JsonNode ticket) {
    List<String> alarms = new ArrayList<>();
    for (JsonNode alarm : ticket.get("alarms")) {
      alarms.add(
          "#"
              + alarm.path("alarmId").asText()
              + " "
              + alarm.path("ruleId").asText()
              + (alarm.has("clearedAt") ? " (cleared)" : ""));
    }
    return alarms.isEmpty() ? "no alarm" : "alarms " + String.join(", ", alarms);
  }

  private static String money(JsonNode amount) {
    return amount.decimalValue().setScale(2, RoundingMode.HALF_UP).toPlainString();
  }

  /** A clock of the API (target and elapsed in seconds) in one line. */
  static String clock(JsonNode clock) {
    StringBuilder line =
        new StringBuilder()
            .append(clock.path("state").asText())
            .append(", target ")
            .append(DurationFormat.format(Duration.ofSeconds(clock.path("target").asLong())))
            .append(", elapsed ")
            .append(DurationFormat.format(Duration.ofSeconds(clock.path("elapsed").asLong())))
            .append(", ")
            .append(clock.path("standing").asText());
    if (clock.has("dueAt")) {
      line.append(", due ").append(clock.get("dueAt").asText());
    }
    return line.toString();
  }
}
