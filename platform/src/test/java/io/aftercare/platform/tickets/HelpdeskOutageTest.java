package io.aftercare.platform.tickets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.bridge.testing.FakeHelpdesk;
import io.aftercare.bridge.testing.SampleRequests;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.TestPlatform;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The helpdesk down for longer than the retry horizon: events are parked as dead, visible to
 * supervisors, and re-driven in order once it is back; a 410 disables the endpoint until then.
 * Nothing is lost.
 */
class HelpdeskOutageTest {

  private static FakeHelpdesk helpdesk;
  private static TestPlatform platform;
  private static ApiClient admin;
  private static ApiClient supervisor;
  private static ApiClient technician;

  @BeforeAll
  static void start() {
    helpdesk = FakeHelpdesk.start();
    Map<String, String> overrides = TestPlatform.deliveringTo(helpdesk, "/hooks");
    overrides.put("tickets.retry.base", "50ms");
    overrides.put("tickets.retry.max", "200ms");
    overrides.put("tickets.retry.horizon", "1s");
    platform = TestPlatform.start(overrides);
    admin = platform.api();
    supervisor = admin.as(admin.createStaff("sue", "supervisor"));
    technician = admin.as(admin.createStaff("tom", "technician"));
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

  private static long ticketOf(long requestId) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                platform.count(
                        "SELECT count(*) FROM ticket_requests WHERE id = ? AND ticket_id IS NOT NULL",
                        requestId)
                    == 1);
    return platform.count("SELECT ticket_id FROM ticket_requests WHERE id = ?", requestId);
  }

  private static JsonNode deadLetters() {
    return supervisor.get("/api/v1/bridge/dead-letters").body().path("deadLetters");
  }

  private static long delivered(long ticketId) {
    return platform.count(
        "SELECT count(*) FROM ticket_outbox WHERE ticket_id = ? AND status = 'delivered'",
        ticketId);
  }

  @Test
  void eventsOutlivingTheHorizonAreDeadVisibleAndRedrivenInOrder() {
    helpdesk.answerAlways(503);
    long ticketId = ticketOf(SampleRequests.open(platform.database(), "plug-1", "overheat"));
    assertThat(
            technician
                .post("/api/v1/tickets/" + ticketId + "/transitions", Map.of("to", "acknowledged"))
                .status())
        .isEqualTo(200);

    await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters().size() == 1);
    JsonNode dead = deadLetters().get(0);
    assertThat(dead.path("type").asText()).isEqualTo("ticket.opened");
    assertThat(dead.path("lastError").asText()).contains("503").contains("horizon");
    assertThat(dead.path("attempts").asInt()).isGreaterThan(1);
    assertThat(technician.get("/api/v1/bridge/dead-letters").status()).isEqualTo(403);
    // The later event of the same ticket waits behind the dead one: never sent out of order.
    assertThat(helpdesk.received())
        .filteredOn(received -> received.ticketId() == ticketId)
        .allSatisfy(received -> assertThat(received.body()).contains("ticket.opened"));
    assertThat(
            platform.count(
                "SELECT count(*) FROM ticket_outbox WHERE ticket_id = ? AND status = 'pending'",
                ticketId))
        .isEqualTo(1);

    helpdesk.answerAlways(200);
    assertThat(
            technician
                .post("/api/v1/bridge/dead-letters/" + dead.path("id").asLong() + "/redrive", "")
                .status())
        .isEqualTo(403);
    ApiClient.Response redriven =
        supervisor.post("/api/v1/bridge/dead-letters/" + dead.path("id").asLong() + "/redrive", "");
    assertThat(redriven.status()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(20)).until(() -> delivered(ticketId) == 2);
    assertThat(helpdesk.accepted())
        .filteredOn(received -> received.ticketId() == ticketId)
        .extracting(received -> received.json().path("type").asText())
        .containsExactly("ticket.opened", "ticket.updated");
    assertThat(deadLetters()).isEmpty();
    assertThat(
            platform.count(
                "SELECT count(*) FROM audit_log WHERE action = 'bridge.redrive' AND actor = 'sue'"
                    + " AND target = ?",
                "outbox/" + dead.path("id").asLong()))
        .isEqualTo(1);
  }

  @Test
  void a410DisablesTheEndpointUntilARedrive() {
    helpdesk.script(410);
    long first = ticketOf(SampleRequests.open(platform.database(), "plug-2", "overheat"));
    await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters().size() == 1);
    assertThat(deadLetters().get(0).path("lastError").asText()).contains("410");

    // Another ticket's event is held while the endpoint is disabled, not dropped.
    long second = ticketOf(SampleRequests.open(platform.database(), "plug-3", "overheat"));
    assertThat(
            platform.count(
                "SELECT count(*) FROM ticket_outbox WHERE ticket_id = ? AND status = 'pending'",
                second))
        .isEqualTo(1);
    int seen = helpdesk.received().size();

    long deadId = deadLetters().get(0).path("id").asLong();
    assertThat(supervisor.post("/api/v1/bridge/dead-letters/" + deadId + "/redrive", "").status())
        .isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> delivered(first) == 1 && delivered(second) == 1);
    assertThat(helpdesk.received()).hasSize(seen + 2);
  }
}
