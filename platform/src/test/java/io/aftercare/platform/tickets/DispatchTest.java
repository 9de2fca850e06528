package io.aftercare.platform.tickets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.bridge.testing.FakeHelpdesk;
import io.aftercare.bridge.testing.MutableClock;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.TestPlatform;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Dispatch and appointments through the REST API (docs/dispatch.md): technician profiles for
 * existing staff only, dispatch and booking only to qualified technicians, clashes refused, and the
 * customer told of an appointment through the helpdesk webhook.
 */
class DispatchTest {

  /** The service desk's "now": 1 March 2027, 08:00 UTC. */
  private static final MutableClock CLOCK = new MutableClock(Instant.parse("2027-03-01T08:00:00Z"));

  private static FakeHelpdesk helpdesk;
  private static TestPlatform platform;
  private static ApiClient admin;
  private static ApiClient viewer;
  private static ApiClient dispatcher;
  private static ApiClient supervisor;

  @BeforeAll
  static void start() {
    helpdesk = FakeHelpdesk.start();
    platform = TestPlatform.start(TestPlatform.deliveringTo(helpdesk, "/hooks/aftercare"), CLOCK);
    admin = platform.api();
    viewer = admin.as(admin.createStaff("vic", "viewer"));
    dispatcher = admin.as(admin.createStaff("tom", "technician"));
    supervisor = admin.as(admin.createStaff("sue", "supervisor"));
    for (String name : List.of("ann", "bob", "cara", "dan", "eve")) {
      admin.createStaff(name, "technician");
    }
    // ann: locks in the north, certified until the end of June.
    profile("ann", List.of("lock", "camera"), "north", "2027-06-30", true);
    // bob: fridges only.
    profile("bob", List.of("fridge"), "south", "2027-12-31", true);
    // cara: her certification ran out yesterday.
    profile("cara", List.of("lock"), "north", "2027-02-28", true);
    // dan: taken out of dispatch.
    profile("dan", List.of("lock"), "north", "2027-12-31", false);
    // eve: certified until today, inclusive.
    profile("eve", List.of("lock"), "north", "2027-03-01", true);
    admin.post(
        "/api/v1/devices",
        Map.of("id", "lock-1", "type", "lock", "customerRef", "C-1001", "soldOn", "2026-06-01"));
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
    if (helpdesk != null) {
      helpdesk.close();
    }
  }

  private static void profile(
      String name, List<String> skills, String region, String expiresOn, boolean active) {
    ApiClient.Response saved =
        supervisor.put(
            "/api/v1/technicians/" + name,
            Map.of(
                "skills", skills,
                "region", region,
                "certification", Map.of("name", "smart-home L2", "expiresOn", expiresOn),
                "active", active));
    assertThat(saved.status()).as(saved.toString()).isEqualTo(200);
  }

  /** A customer-reported case for the lock, acknowledged by the dispatcher. */
  private static long acknowledgedCase() {
    ApiClient.Response opened =
        dispatcher.post(
            "/api/v1/tickets",
            Map.of(
                "channel", "phone",
                "symptom", "the lock does not turn",
                "deviceId", "lock-1",
                "serviceType", "repair"));
    assertThat(opened.status()).isEqualTo(201);
    long id = opened.body().path("id").asLong();
    assertThat(transition(id, Map.of("to", "acknowledged")).status()).isEqualTo(200);
    return id;
  }

  private static ApiClient.Response transition(long ticketId, Map<String, Object> body) {
    return dispatcher.post("/api/v1/tickets/" + ticketId + "/transitions", body);
  }

  private static ApiClient.Response dispatch(long ticketId, String assignee) {
    return transition(
        ticketId, Map.of("to", "dispatched", "assignee", assignee, "channel", "on_site"));
  }

  private static ApiClient.Response book(long ticketId, String technician, String from, String to) {
    Map<String, Object> body = new HashMap<>();
    body.put("technician", technician);
    body.put("startsAt", from);
    body.put("endsAt", to);
    body.put("addressRef", "ADDR-77");
    return dispatcher.post("/api/v1/tickets/" + ticketId + "/appointments", body);
  }

  private static void assertProblem(ApiClient.Response response, int status, String... words) {
    assertThat(response.status()).as(response.toString()).isEqualTo(status);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.body().path("detail").asText()).contains(words);
  }

  @Test
  void aProfileNeedsAnExistingStaffAccountAndASupervisor() {
    assertProblem(
        supervisor.put(
            "/api/v1/technicians/ghost",
            Map.of(
                "skills",
                List.of("lock"),
                "certification",
                Map.of("name", "x", "expiresOn", "2027-12-31"))),
        400,
        "'name'",
        "ghost");
    assertThat(platform.count("SELECT count(*) FROM technicians WHERE name = 'ghost'")).isZero();
    assertThat(
            dispatcher.put("/api/v1/technicians/tom", Map.of("skills", List.of("lock"))).status())
        .isEqualTo(403);
    assertProblem(
        supervisor.put("/api/v1/technicians/tom", Map.of("skills", List.of())), 400, "'skills'");
    assertProblem(
        supervisor.put(
            "/api/v1/technicians/tom",
            Map.of("skills", List.of("lock"), "certification", Map.of("name", "L2"))),
        400,
        "'certification.expiresOn'");

    JsonNode ann = viewer.get("/api/v1/technicians/ann").body();
    assertThat(ann.path("skills")).extracting(JsonNode::asText).containsExactly("lock", "camera");
    assertThat(ann.path("region").asText()).isEqualTo("north");
    assertThat(ann.at("/certification/expiresOn").asText()).isEqualTo("2027-06-30");
    assertThat(ann.path("active").asBoolean()).isTrue();
    assertThat(ann.path("updatedBy").asText()).isEqualTo("sue");
    assertThat(viewer.get("/api/v1/technicians/nobody").status()).isEqualTo(404);
    assertThat(viewer.get("/api/v1/technicians?deviceType=camera").body().path("technicians"))
        .extracting(t -> t.path("name").asText())
        .containsExactly("ann");
    assertThat(
            viewer
                .get("/api/v1/technicians?deviceType=lock&region=south")
                .body()
                .path("technicians"))
        .isEmpty();
    assertThat(viewer.get("/api/v1/technicians?region=south").body().path("technicians"))
        .extracting(t -> t.path("name").asText())
        .containsExactly("bob");
    assertThat(
            viewer
                .get("/api/v1/technicians?deviceType=lock&region=north")
                .body()
                .path("technicians"))
        .extracting(t -> t.path("name").asText())
        .as("by name")
        .startsWith("ann", "cara", "dan")
        .doesNotContain("bob");
    assertThat(
            platform.count(
                "SELECT count(*) FROM audit_log WHERE action = 'technician.put'"
                    + " AND target = 'technician/ann' AND actor = 'sue' AND outcome = 'allowed'"))
        .isEqualTo(1);
  }

  @Test
  void dispatchRefusesUnknownUnqualifiedInactiveAndExpiredAssignees() {
    long id = acknowledgedCase();

    assertProblem(dispatch(id, "nobody"), 400, "'assignee'", "no technician");
    assertProblem(dispatch(id, "bob"), 400, "'assignee'", "not skilled for device type lock");
    assertProblem(dispatch(id, "cara"), 400, "'assignee'", "expired on 2027-02-28");
    assertProblem(dispatch(id, "dan"), 400, "'assignee'", "not an active technician");
    assertThat(admin.get("/api/v1/tickets/" + id).body().path("status").asText())
        .isEqualTo("acknowledged");

    ApiClient.Response dispatched = dispatch(id, "ann");
    assertThat(dispatched.status()).isEqualTo(200);
    assertThat(dispatched.body().path("assignee").asText()).isEqualTo("ann");
  }

  @Test
  void aRevokedAccountIsNoLongerDispatched() {
    admin.createStaff("gus", "technician");
    profile("gus", List.of("lock"), "north", "2027-12-31", true);
    long id = acknowledgedCase();

    assertThat(admin.delete("/api/v1/staff/gus").status()).isEqualTo(204);

    assertThat(viewer.get("/api/v1/technicians/gus").body().path("active").asBoolean()).isFalse();
    assertProblem(dispatch(id, "gus"), 400, "'assignee'", "not an active technician");
    assertProblem(
        supervisor.put("/api/v1/technicians/gus", Map.of("skills", List.of("lock"))),
        400,
        "'name'",
        "no active staff account");
  }

  @Test
  void aDisabledAccountIsNoLongerDispatchedEvenWhenReEnabled() {
    admin.createStaff("hal", "technician");
    profile("hal", List.of("lock"), "north", "2027-12-31", true);
    long id = acknowledgedCase();

    assertThat(admin.patch("/api/v1/staff/hal", Map.of("disabled", true)).status()).isEqualTo(200);

    assertThat(viewer.get("/api/v1/technicians/hal").body().path("active").asBoolean()).isFalse();
    assertProblem(dispatch(id, "hal"), 400, "'assignee'", "not an active technician");
    assertProblem(
        supervisor.put("/api/v1/technicians/hal", Map.of("skills", List.of("lock"))),
        400,
        "'name'",
        "no active staff account");
    // Back at work: dispatchable again only once a supervisor says so.
    admin.patch("/api/v1/staff/hal", Map.of("disabled", false));
    assertProblem(dispatch(id, "hal"), 400, "'assignee'", "not an active technician");
    profile("hal", List.of("lock"), "north", "2027-12-31", true);
    assertThat(dispatch(id, "hal").status()).isEqualTo(200);
  }

  @Test
  void aCertificationIsCheckedOnTheDayOfDispatch() {
    long today = acknowledgedCase();
    long tomorrow = acknowledgedCase();
    // eve's certification is valid through today.
    assertThat(dispatch(today, "eve").status()).isEqualTo(200);

    CLOCK.advance(Duration.ofDays(1));
    try {
      assertProblem(dispatch(tomorrow, "eve"), 400, "'assignee'", "expired on 2027-03-01");
    } finally {
      CLOCK.advance(Duration.ofDays(-1));
    }
  }

  @Test
  void overlappingWindowsOfOneTechnicianAreRefusedAndAdjacentOnesAllowed() {
    long first = acknowledgedCase();
    long second = acknowledgedCase();

    ApiClient.Response booked = book(first, "ann", "2027-03-03T09:00:00Z", "2027-03-03T11:00:00Z");
    assertThat(booked.status()).isEqualTo(201);
    assertThat(booked.body().path("status").asText()).isEqualTo("confirmed");
    assertProblem(
        book(second, "ann", "2027-03-03T10:00:00Z", "2027-03-03T12:00:00Z"),
        409,
        "ann",
        "overlapping");
    assertProblem(
        book(second, "ann", "2027-03-03T08:00:00Z", "2027-03-03T13:00:00Z"), 409, "overlapping");
    // Back to back: the first visit ends when the next starts.
    assertThat(book(second, "ann", "2027-03-03T11:00:00Z", "2027-03-03T12:00:00Z").status())
        .isEqualTo(201);
    assertThat(book(second, "ann", "2027-03-03T08:00:00Z", "2027-03-03T09:00:00Z").status())
        .isEqualTo(201);

    // Once cancelled, the window is free again.
    long firstId = booked.body().path("id").asLong();
    ApiClient.Response cancelled =
        dispatcher.post(
            "/api/v1/appointments/" + firstId + "/cancel", Map.of("reason", "customer away"));
    assertThat(cancelled.status()).isEqualTo(200);
    assertThat(cancelled.body().path("status").asText()).isEqualTo("cancelled");
    assertProblem(
        dispatcher.post("/api/v1/appointments/" + firstId + "/cancel", Map.of("reason", "again")),
        409,
        "not confirmed");
    assertThat(book(second, "ann", "2027-03-03T10:00:00Z", "2027-03-03T11:00:00Z").status())
        .isEqualTo(201);
  }

  @Test
  void onlyAQualifiedTechnicianIsBookedAndOnlyForAnAcknowledgedCase() {
    long id = acknowledgedCase();

    assertProblem(
        book(id, "bob", "2027-03-04T09:00:00Z", "2027-03-04T10:00:00Z"),
        400,
        "'technician'",
        "not skilled");
    assertProblem(
        book(id, "ghost", "2027-03-04T09:00:00Z", "2027-03-04T10:00:00Z"),
        400,
        "'technician'",
        "no technician");
    // ann's certification ends on 30 June: she cannot be booked for July.
    assertProblem(
        book(id, "ann", "2027-07-01T09:00:00Z", "2027-07-01T10:00:00Z"),
        400,
        "'technician'",
        "expired on 2027-06-30");
    assertProblem(book(id, "ann", "2027-03-04T10:00:00Z", "2027-03-04T09:00:00Z"), 400, "'endsAt'");
    assertThat(
            viewer
                .post(
                    "/api/v1/tickets/" + id + "/appointments",
                    Map.of(
                        "technician", "ann",
                        "startsAt", "2027-03-04T09:00:00Z",
                        "endsAt", "2027-03-04T10:00:00Z"))
                .status())
        .isEqualTo(403);

    ApiClient.Response unacknowledged =
        dispatcher.post(
            "/api/v1/tickets",
            Map.of(
                "channel",
                "web",
                "symptom",
                "beeps",
                "deviceId",
                "lock-1",
                "serviceType",
                "repair"));
    assertProblem(
        book(
            unacknowledged.body().path("id").asLong(),
            "ann",
            "2027-03-04T09:00:00Z",
            "2027-03-04T10:00:00Z"),
        409,
        "open");
  }

  @Test
  void aConfirmedAppointmentIsOnTheTicketAndTheCustomerIsToldThroughTheHelpdesk() {
    long id = acknowledgedCase();

    ApiClient.Response booked = book(id, "ann", "2027-03-05T13:00:00Z", "2027-03-05T15:00:00Z");
    assertThat(booked.status()).isEqualTo(201);
    long appointmentId = booked.body().path("id").asLong();

    JsonNode ticket = admin.get("/api/v1/tickets/" + id).body();
    assertThat(ticket.at("/appointments/0/id").asLong()).isEqualTo(appointmentId);
    assertThat(ticket.at("/appointments/0/technician").asText()).isEqualTo("ann");
    assertThat(ticket.at("/appointments/0/startsAt").asText()).isEqualTo("2027-03-05T13:00:00Z");
    assertThat(ticket.at("/appointments/0/addressRef").asText()).isEqualTo("ADDR-77");
    assertThat(ticket.at("/appointments/0/createdBy").asText()).isEqualTo("tom");
    assertThat(ticket.path("timeline"))
        .extracting(entry -> entry.path("kind").asText())
        .contains("appointment_set");

    JsonNode event = awaitEvent(id, "ticket.appointment_set");
    assertThat(event.at("/appointment/id").asLong()).isEqualTo(appointmentId);
    assertThat(event.at("/appointment/technician").asText()).isEqualTo("ann");
    assertThat(event.at("/appointment/startsAt").asText()).isEqualTo("2027-03-05T13:00:00Z");
    assertThat(event.at("/appointment/endsAt").asText()).isEqualTo("2027-03-05T15:00:00Z");
    assertThat(event.at("/ticket/customerRef").asText()).isEqualTo("C-1001");
    assertThat(
            platform.count(
                "SELECT count(*) FROM audit_log WHERE action = 'appointment.book'"
                    + " AND target = ? AND actor = 'tom'",
                "ticket/" + id))
        .isEqualTo(1);

    // Rescheduled: the old one is cancelled, the new one announced with what it replaces.
    ApiClient.Response moved =
        dispatcher.post(
            "/api/v1/appointments/" + appointmentId + "/reschedule",
            Map.of("startsAt", "2027-03-06T13:00:00Z", "endsAt", "2027-03-06T15:00:00Z"));
    assertThat(moved.status()).isEqualTo(201);
    assertThat(moved.body().path("technician").asText()).isEqualTo("ann");
    assertThat(moved.body().path("addressRef").asText()).isEqualTo("ADDR-77");
    long movedId = moved.body().path("id").asLong();
    JsonNode after = admin.get("/api/v1/tickets/" + id).body().path("appointments");
    assertThat(after)
        .extracting(a -> a.path("status").asText())
        .containsExactly("cancelled", "confirmed");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                events(id, "ticket.appointment_set").stream()
                    .anyMatch(e -> e.at("/appointment/id").asLong() == movedId));
    assertThat(
            events(id, "ticket.appointment_set").stream()
                .filter(e -> e.at("/appointment/id").asLong() == movedId)
                .findFirst()
                .orElseThrow()
                .path("replacesAppointmentId")
                .asLong())
        .isEqualTo(appointmentId);

    dispatcher.post(
        "/api/v1/appointments/" + movedId + "/cancel", Map.of("reason", "fixed remotely"));
    assertThat(awaitEvent(id, "ticket.appointment_cancelled").at("/appointment/status").asText())
        .isEqualTo("cancelled");
  }

  private static JsonNode awaitEvent(long ticketId, String type) {
    await().atMost(Duration.ofSeconds(20)).until(() -> !events(ticketId, type).isEmpty());
    return events(ticketId, type).get(0);
  }

  /** Events of {@code type} about the ticket that the helpdesk accepted, oldest first. */
  private static List<JsonNode> events(long ticketId, String type) {
    return helpdesk.accepted().stream()
        .map(FakeHelpdesk.Received::json)
        .filter(event -> event.path("ticket").path("id").asLong() == ticketId)
        .filter(event -> type.equals(event.path("type").asText()))
        .toList();
  }
}
