package io.aftercare.platform.tickets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.bridge.testing.MutableClock;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.TestPlatform;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ticket queue by SLA urgency, {@code GET /api/v1/tickets?sort=sla}, with the service desk on a
 * clock the test sets: open tickets by the earliest due time of their running clocks, each carrying
 * {@code nextDeadline} and {@code nextClock} as its detail's clocks say; a paused repair clock runs
 * no deadline; the cursor pages the same order. Each test has customers of its own, and lists only
 * their tickets.
 */
class TicketSlaQueueTest {

  private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-11-01T00:00:00Z"));
  private static TestPlatform platform;
  private static ApiClient admin;
  private static ApiClient technician;
  private static ApiClient supervisor;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start(Map.of(), CLOCK);
    admin = platform.api();
    technician = admin.as(admin.createStaff("tess", "technician"));
    supervisor = admin.as(admin.createStaff("sue", "supervisor"));
    admin.createQualifiedTechnician("ann", "fridge");
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void openTicketsComeByTheirEarliestRunningDeadlineWhicheverClockItIs() {
    Instant t0 = Instant.parse("2026-11-10T08:00:00Z");
    // Response running (and arrangement, which falls due later).
    long responding = reportedCase("fridge-o1", "C-order", t0);
    // Acknowledged: response stopped, arrangement running.
    long arranging = reportedCase("fridge-o2", "C-order", t0.plusSeconds(600));
    technician.moveTicket(arranging, Map.of("to", "acknowledged"));
    // Work started: response and arrangement stopped, repair running.
    long repairing = reportedCase("fridge-o3", "C-order", t0.plusSeconds(1200));
    technician.moveTicket(repairing, Map.of("to", "acknowledged"));
    technician.moveTicket(
        repairing, Map.of("to", "dispatched", "assignee", "ann", "channel", "on_site"));
    technician.moveTicket(repairing, Map.of("to", "in_progress"));
    // Ended: in no queue by urgency, and no deadline in the plain list.
    long cancelled = reportedCase("fridge-o4", "C-order", t0.plusSeconds(1800));
    supervisor.moveTicket(cancelled, Map.of("to", "cancelled", "note", "customer withdrew"));

    List<JsonNode> queue = page("/api/v1/tickets?sort=sla&customer=C-order").tickets;

    assertThat(queue).extracting(t -> t.path("id").asLong()).doesNotContain(cancelled);
    assertThat(queue).hasSize(3);
    for (JsonNode ticket : queue) {
      JsonNode sla = admin.ticket(ticket.path("id").asLong()).path("sla");
      String clock = ticket.path("nextClock").asText();
      assertThat(ticket.path("nextDeadline").asText())
          .isEqualTo(sla.path(clock).path("dueAt").asText());
      assertThat(sla.path(clock).path("state").asText()).isEqualTo("running");
    }
    assertThat(clockOf(queue, responding)).isEqualTo("response");
    assertThat(clockOf(queue, arranging)).isEqualTo("arrangement");
    assertThat(clockOf(queue, repairing)).isEqualTo("repair");
    assertThat(queue)
        .extracting(t -> Instant.parse(t.path("nextDeadline").asText()))
        .isSorted()
        .doesNotHaveDuplicates();

    JsonNode ended =
        page("/api/v1/tickets?customer=C-order").tickets.stream()
            .filter(t -> t.path("id").asLong() == cancelled)
            .findFirst()
            .orElseThrow();
    assertThat(ended.has("nextDeadline")).isTrue();
    assertThat(ended.path("nextDeadline").isNull()).isTrue();
    assertThat(ended.path("nextClock").isNull()).isTrue();
  }

  @Test
  void aPausedRepairClockRunsNoDeadlineUntilWorkResumes() {
    Instant t0 = Instant.parse("2026-11-12T08:00:00Z");
    long parts = reportedCase("fridge-p1", "C-pause", t0);
    technician.moveTicket(parts, Map.of("to", "acknowledged"));
    technician.moveTicket(
        parts, Map.of("to", "dispatched", "assignee", "ann", "channel", "on_site"));
    technician.moveTicket(parts, Map.of("to", "in_progress"));
    long waiting = reportedCase("fridge-p2", "C-pause", t0.plusSeconds(60));
    Instant repairDue = Instant.parse(ticketIn("C-pause", parts).path("nextDeadline").asText());

    setClock(t0.plus(Duration.ofHours(1)));
    technician.moveTicket(parts, Map.of("to", "awaiting_parts"));

    List<JsonNode> queue = page("/api/v1/tickets?sort=sla&customer=C-pause").tickets;
    assertThat(queue).extracting(t -> t.path("id").asLong()).containsExactly(waiting, parts);
    assertThat(queue.get(1).path("nextDeadline").isNull()).isTrue();
    assertThat(queue.get(1).path("nextClock").isNull()).isTrue();
    assertThat(admin.ticket(parts).at("/sla/repair/state").asText()).isEqualTo("paused");

    // Five hours waiting for parts: the repair falls due five hours later than it would have.
    setClock(t0.plus(Duration.ofHours(6)));
    technician.moveTicket(parts, Map.of("to", "in_progress"));
    JsonNode resumed = ticketIn("C-pause", parts);
    assertThat(resumed.path("nextClock").asText()).isEqualTo("repair");
    assertThat(Instant.parse(resumed.path("nextDeadline").asText()))
        .isEqualTo(repairDue.plus(Duration.ofHours(5)));
  }

  @Test
  void theCursorPagesTheSlaOrderIncludingTicketsWithNoRunningClock() {
    Instant t0 = Instant.parse("2026-11-14T08:00:00Z");
    for (int i = 0; i < 5; i++) {
      reportedCase("fridge-q" + i, "C-pages", t0.plus(Duration.ofMinutes(7L * (4 - i))));
    }
    // Two whose repair waits for parts: no running clock, at the end in id order.
    for (int i = 5; i < 7; i++) {
      long id = reportedCase("fridge-q" + i, "C-pages", t0.plus(Duration.ofMinutes(40 + i)));
      technician.moveTicket(id, Map.of("to", "acknowledged"));
      technician.moveTicket(id, Map.of("to", "dispatched", "assignee", "ann", "channel", "remote"));
      technician.moveTicket(id, Map.of("to", "in_progress"));
      technician.moveTicket(id, Map.of("to", "awaiting_parts"));
    }
    List<Long> whole = ids(page("/api/v1/tickets?sort=sla&customer=C-pages").tickets);
    assertThat(whole).hasSize(7);

    List<Long> paged = new ArrayList<>();
    Page current = page("/api/v1/tickets?sort=sla&customer=C-pages&limit=2");
    int pages = 1;
    paged.addAll(ids(current.tickets));
    while (current.nextCursor != null) {
      current =
          page("/api/v1/tickets?sort=sla&customer=C-pages&limit=2&cursor=" + current.nextCursor);
      paged.addAll(ids(current.tickets));
      pages++;
    }
    assertThat(paged).isEqualTo(whole);
    assertThat(pages).isEqualTo(4);

    String slaCursor = page("/api/v1/tickets?sort=sla&customer=C-pages&limit=2").nextCursor;
    ApiClient.Response mixed = admin.get("/api/v1/tickets?customer=C-pages&cursor=" + slaCursor);
    assertThat(mixed.status()).isEqualTo(400);
    assertThat(mixed.body().path("detail").asText()).contains("'cursor'");
    ApiClient.Response unknown = admin.get("/api/v1/tickets?sort=urgent");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.body().path("detail").asText()).contains("'sort'");
  }

  private record Page(List<JsonNode> tickets, String nextCursor) {}

  private static Page page(String path) {
    ApiClient.Response response = admin.get(path);
    assertThat(response.status()).as(path).isEqualTo(200);
    List<JsonNode> tickets = new ArrayList<>();
    response.body().path("tickets").forEach(tickets::add);
    JsonNode cursor = response.body().path("nextCursor");
    return new Page(tickets, cursor.isTextual() ? cursor.asText() : null);
  }

  private static JsonNode ticketIn(String customer, long id) {
    return page("/api/v1/tickets?customer=" + customer).tickets.stream()
        .filter(t -> t.path("id").asLong() == id)
        .findFirst()
        .orElseThrow();
  }

  private static String clockOf(List<JsonNode> tickets, long id) {
    return tickets.stream()
        .filter(t -> t.path("id").asLong() == id)
        .findFirst()
        .orElseThrow()
        .path("nextClock")
        .asText();
  }

  private static List<Long> ids(List<JsonNode> tickets) {
    return tickets.stream().map(t -> t.path("id").asLong()).toList();
  }

  private static void setClock(Instant at) {
    CLOCK.advance(Duration.between(CLOCK.instant(), at));
  }

  /** A customer-reported repair for a new standard-tier fridge, opened at {@code at}. */
  private static long reportedCase(String deviceId, String customer, Instant at) {
    admin.provisionFridge(deviceId, customer, "standard");
    setClock(at);
    return technician.openCase(
        Map.of(
            "channel",
            "phone",
            "symptom",
            "does not cool",
            "deviceId",
            deviceId,
            "serviceType",
            "repair"));
  }
}
