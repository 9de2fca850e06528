package io.aftercare.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.bridge.testing.FakeHelpdesk;
import io.aftercare.bridge.testing.SampleRequests;
import io.aftercare.bridge.testing.TestBridge;
import io.aftercare.bridge.testing.TestBridgeConfig;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Jira-style connector: an issue per ticket with the documented field mapping, then comments.
 */
class JiraConnectorTest {

  private static FakeHelpdesk jira;
  private static TestBridge test;

  @BeforeAll
  static void start() {
    jira = FakeHelpdesk.start();
    jira.answerAlways(201);
    jira.respondWith("{\"id\": \"10001\", \"key\": \"SVC-7\", \"self\": \"x\"}");
    test =
        TestBridge.start(
            TestBridgeConfig.defaults()
                .jira(jira.url("/"), "jira-pat")
                .allowPrivateAddresses()
                .pollInterval(Duration.ofMillis(50))
                .build());
  }

  @AfterAll
  static void stop() {
    if (test != null) {
      test.close();
    }
    if (jira != null) {
      jira.close();
    }
  }

  @Test
  void aTicketBecomesAnIssueAndItsChangesComments() {
    SampleRequests.open(test.database(), "oven-1", "overheat");
    await().atMost(Duration.ofSeconds(20)).until(() -> jira.received().size() == 1);
    FakeHelpdesk.Received create = jira.received().get(0);
    assertThat(create.method()).isEqualTo("POST");
    assertThat(create.path()).isEqualTo("/rest/api/2/issue");
    assertThat(create.header("authorization")).isEqualTo("Bearer jira-pat");
    JsonNode fields = create.json().path("fields");
    assertThat(fields.at("/project/key").asText()).isEqualTo("SVC");
    assertThat(fields.at("/issuetype/name").asText()).isEqualTo("Incident");
    assertThat(fields.at("/priority/name").asText()).isEqualTo("High");
    assertThat(fields.path("summary").asText()).startsWith("[P2] unknown oven-1: ");
    assertThat(fields.path("labels").toString()).contains("aftercare-ticket-");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> test.count("SELECT count(*) FROM tickets WHERE external_ref = 'SVC-7'") == 1);

    long id = test.count("SELECT id FROM tickets WHERE device_id = 'oven-1'");
    test.bridge()
        .tickets()
        .transition(
            id,
            TransitionRequest.to(TicketStatus.ACKNOWLEDGED, null),
            "tom",
            InTransaction.NOTHING);
    await().atMost(Duration.ofSeconds(20)).until(() -> jira.received().size() == 2);
    FakeHelpdesk.Received comment = jira.received().get(1);
    assertThat(comment.path()).isEqualTo("/rest/api/2/issue/SVC-7/comment");
    assertThat(comment.json().path("body").asText()).contains("status acknowledged");

    // The agent who tells the customer of an appointment reads its window in the comment.
    test.qualify("ann", "oven");
    test.bridge()
        .appointments()
        .book(
            id,
            new AppointmentRequest(
                "ann",
                Instant.parse("2030-01-07T09:00:00Z"),
                Instant.parse("2030-01-07T11:00:00Z"),
                "ADDR-9"),
            "tom",
            InTransaction.NOTHING);
    await().atMost(Duration.ofSeconds(20)).until(() -> jira.received().size() == 3);
    assertThat(jira.received().get(2).json().path("body").asText())
        .contains("ticket.appointment_set")
        .contains(
            "appointment confirmed: 2030-01-07T09:00:00Z to 2030-01-07T11:00:00Z, technician ann,"
                + " address ref ADDR-9");
  }

  @Test
  void anIncidentEventIsRefusedAsADeadLetterWithoutACall() {
    long id =
        test.bridge()
            .incidentDeclarations()
            .declare(
                IncidentDeclaration.of("general", "outage", "hubs offline", null, null),
                "sue",
                InTransaction.NOTHING)
            .incident()
            .id();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                test.count(
                        "SELECT count(*) FROM ticket_outbox WHERE incident_id = ? AND status ="
                            + " 'dead' AND last_error LIKE '%ticket events only%'",
                        id)
                    == 1);
    assertThat(jira.received())
        .noneMatch(received -> received.body().contains("incident.declared"));
  }
}
