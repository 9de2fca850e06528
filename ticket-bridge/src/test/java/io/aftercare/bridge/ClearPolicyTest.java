package io.aftercare.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aftercare.bridge.testing.FakeHelpdesk;
import io.aftercare.bridge.testing.MutableClock;
import io.aftercare.bridge.testing.SampleRequests;
import io.aftercare.bridge.testing.StandardWebhooks;
import io.aftercare.bridge.testing.TestBridge;
import io.aftercare.bridge.testing.TestBridgeConfig;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a cleared alarm does to its ticket (docs/tickets.md): cancelled as self-resolved when nobody
 * acted yet, resolved when the repair was under way, otherwise recorded for people to decide. Each
 * outcome reaches the helpdesk. A failed post-fix health check is recorded and changes nothing
 * else; the clear that a passed one sends carries its evidence onto the timeline.
 */
class ClearPolicyTest {

  private static FakeHelpdesk helpdesk;
  private static TestBridge test;

  @BeforeAll
  static void start() {
    helpdesk = FakeHelpdesk.start();
    // Idle: each step below runs the request processor and the delivery once, in order.
    test =
        TestBridge.idle(
            TestBridgeConfig.defaults()
                .disabled()
                .webhook(helpdesk.url("/hooks"), StandardWebhooks.SECRET)
                .allowPrivateAddresses()
                .build(),
            // Just after the sample alarm was raised: the SLA clocks count from then, so on the
            // system clock they would long have breached and escalated.
            new MutableClock(Instant.parse("2026-11-23T10:00:00Z")));
  }

  @AfterAll
  static void stop() {
    if (test != null) {
      test.close();
    }
    if (helpdesk != null) {
      helpdesk.close();
    }
  }

  @Test
  void anAlarmClearedBeforeAnyoneActedCancelsTheTicketAsSelfResolved() {
    long ticketId = test.processed(SampleRequests.open(test.database(), "fridge-2", "temp-high"));
    test.processed(SampleRequests.cleared(test.database(), "fridge-2", "temp-high"));

    TicketDetail cancelled = test.ticket(ticketId);
    assertThat(cancelled.ticket().status()).isEqualTo(TicketStatus.CANCELLED);
    assertThat(cancelled.timeline().get(1).note()).startsWith("self-resolved");
    assertThat(helpdesk.accepted())
        .filteredOn(received -> received.ticketId() == ticketId)
        .extracting(received -> received.json().at("/ticket/status").asText())
        .containsExactly("open", "cancelled");
  }

  @Test
  void anAlarmClearedDuringTheRepairResolvesTheTicketAndOtherwiseIsRecordedForPeople() {
    long repaired = test.processed(SampleRequests.open(test.database(), "fridge-5", "temp-high"));
    test.move(repaired, TicketStatus.ACKNOWLEDGED, null, null);
    test.move(repaired, TicketStatus.DISPATCHED, "ann", "remote");
    test.move(repaired, TicketStatus.IN_PROGRESS, null, null);
    test.processed(SampleRequests.cleared(test.database(), "fridge-5", "temp-high"));
    Ticket resolved = test.ticket(repaired).ticket();
    assertThat(resolved.status()).isEqualTo(TicketStatus.RESOLVED);
    assertThat(resolved.channel()).isEqualTo("remote");

    // Another device: on fridge-5 a fault of the same category would reopen the resolved ticket.
    long contacted = test.processed(SampleRequests.open(test.database(), "fridge-6", "door-open"));
    test.move(contacted, TicketStatus.ACKNOWLEDGED, null, null);
    test.processed(SampleRequests.cleared(test.database(), "fridge-6", "door-open"));
    TicketDetail recorded = test.ticket(contacted);
    assertThat(recorded.ticket().status()).isEqualTo(TicketStatus.ACKNOWLEDGED);
    assertThat(recorded.timeline())
        .extracting(TimelineEntry::kind)
        .containsExactly("transition", "transition", "alarm_cleared");
    assertThat(helpdesk.accepted())
        .filteredOn(received -> received.ticketId() == contacted)
        .extracting(received -> received.json().path("type").asText())
        .containsExactly("ticket.opened", "ticket.updated", "ticket.updated");
  }

  @Test
  void aFailedHealthCheckIsRecordedAndTheTicketKeepsWorkingUntilOnePasses() {
    TicketRequest.Fault fault = SampleRequests.fault("fridge-7", "temp-high");
    long ticketId = test.processed(SampleRequests.open(test.database(), fault));
    test.move(ticketId, TicketStatus.ACKNOWLEDGED, null, null);
    test.move(ticketId, TicketStatus.DISPATCHED, "ann", "remote");
    test.move(ticketId, TicketStatus.IN_PROGRESS, null, null);

    ObjectNode failed = JsonNodeFactory.instance.objectNode().put("passed", false);
    failed.putArray("failures").add("the device is offline");
    test.processed(SampleRequests.healthCheckFailed(test.database(), fault, failed));
    TicketDetail working = test.ticket(ticketId);
    assertThat(working.ticket().status()).isEqualTo(TicketStatus.IN_PROGRESS);
    TimelineEntry recorded = working.timeline().get(working.timeline().size() - 1);
    assertThat(recorded.kind()).isEqualTo("health_check");
    assertThat(recorded.note()).isEqualTo("post-fix health check failed: the device is offline");
    assertThat(recorded.detail()).isEqualTo(failed);
    assertThat(working.alarms()).extracting(Episodes.LinkedAlarm::clearedAt).containsOnlyNulls();

    ObjectNode passed = JsonNodeFactory.instance.objectNode().put("passed", true);
    test.processed(SampleRequests.clearedAfterHealthCheck(test.database(), fault, passed));
    TicketDetail resolved = test.ticket(ticketId);
    assertThat(resolved.ticket().status()).isEqualTo(TicketStatus.RESOLVED);
    assertThat(resolved.timeline())
        .extracting(TimelineEntry::kind)
        .containsSubsequence("health_check", "health_check", "transition");
    TimelineEntry passedEntry =
        resolved.timeline().stream()
            .filter(entry -> entry.kind().equals("health_check"))
            .reduce((first, second) -> second)
            .orElseThrow();
    assertThat(passedEntry.note()).isEqualTo("post-fix health check passed");
    assertThat(passedEntry.detail()).isEqualTo(passed);
    assertThat(helpdesk.accepted())
        .filteredOn(received -> received.ticketId() == ticketId)
        .extracting(received -> received.json().path("type").asText())
        .contains("ticket.updated")
        .endsWith("ticket.resolved");
  }
}
