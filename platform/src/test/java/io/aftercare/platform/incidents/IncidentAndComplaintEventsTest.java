package io.aftercare.platform.incidents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aftercare.bridge.testing.FakeHelpdesk;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.TestPlatform;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Incident and complaint events reach the helpdesk through the ticket outbox (docs/incidents.md,
 * "Events"): signed like ticket events, retried after a failure, and in order per incident.
 */
class IncidentAndComplaintEventsTest {

  private static FakeHelpdesk helpdesk;
  private static TestPlatform platform;
  private static ApiClient admin;

  @BeforeAll
  static void start() {
    helpdesk = FakeHelpdesk.start();
    Map<String, String> overrides = TestPlatform.deliveringTo(helpdesk, "/hooks/aftercare");
    overrides.put("tickets.retry.base", "100ms");
    overrides.put("tickets.retry.max", "500ms");
    platform = TestPlatform.start(overrides);
    admin = platform.api();
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

  @Test
  void incidentEventsAreRetriedAndArriveInOrderAndComplaintEventsArriveToo() {
    helpdesk.script(503); // the first delivery fails: the later events of the incident wait
    long incidentId =
        admin
            .post(
                "/api/v1/incidents",
                Map.of("level", "major", "title", "outage", "description", "hubs offline"))
            .body()
            .path("id")
            .asLong();
    admin.post("/api/v1/incidents/" + incidentId + "/transitions", Map.of("to", "responded"));
    await().atMost(Duration.ofSeconds(20)).until(() -> incidentEvents(incidentId).size() == 2);
    // The complaint comes only now, so that the scripted failure surely hit the incident's event.
    long complaintId =
        admin
            .post(
                "/api/v1/complaints",
                Map.of("channel", "phone", "customerRef", "C-1", "text", "my hub is offline"))
            .body()
            .path("id")
            .asLong();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                helpdesk.accepted().stream()
                    .anyMatch(r -> r.json().path("complaint").path("id").asLong() == complaintId));

    assertThat(incidentEvents(incidentId))
        .extracting(r -> r.json().path("type").asText())
        .containsExactly("incident.declared", "incident.updated");
    assertThat(incidentEvents(incidentId).get(1).json().at("/incident/status").asText())
        .isEqualTo("responded");
    for (FakeHelpdesk.Received event : helpdesk.accepted()) {
      assertThat(event.header("webhook-id")).isEqualTo(event.json().path("id").asText());
      assertThat(event.header("webhook-signature")).startsWith("v1,");
    }
    // The helpdesk has the event before the bridge records the answer: wait for the record.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                platform.count(
                        "SELECT count(*) FROM ticket_outbox WHERE incident_id = ?"
                            + " AND status = 'delivered' AND attempts = 2"
                            + " AND type = 'incident.declared'",
                        incidentId)
                    == 1);
  }

  private static List<FakeHelpdesk.Received> incidentEvents(long incidentId) {
    return helpdesk.accepted().stream()
        .filter(r -> r.json().path("incident").path("id").asLong() == incidentId)
        .toList();
  }
}
