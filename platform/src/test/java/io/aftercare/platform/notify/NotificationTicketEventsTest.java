package io.aftercare.platform.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.bridge.testing.FakeHelpdesk;
import io.aftercare.platform.testing.TestPlatform;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Ticket events reach staff from the bridge's outbox, which the bridge writes without knowing of
 * notifications; and a webhook on a private address is refused unless allowed.
 */
class NotificationTicketEventsTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private FakeHelpdesk slack;
  private TestPlatform platform;

  @BeforeEach
  void receiver() {
    slack = FakeHelpdesk.start();
  }

  @AfterEach
  void stop() {
    if (platform != null) {
      platform.close();
    }
    slack.close();
  }

  private void start(boolean allowPrivate) {
    Map<String, String> overrides = new HashMap<>();
    overrides.put("notifications.rules.desk.events", "ticket.opened");
    overrides.put("notifications.rules.desk.slack", "true");
    overrides.put("notifications.slack.webhookUrl", slack.url("/slack"));
    overrides.put("notifications.outboundAllowPrivate", String.valueOf(allowPrivate));
    overrides.put("notifications.pollInterval", "100ms");
    platform = TestPlatform.start(overrides);
  }

  private long reportedCase() {
    return platform
        .api()
        .openCase(
            Map.of(
                "channel", "phone",
                "symptom", "the boiler does not heat",
                "customerRef", "cust-7",
                "serviceType", "repair"));
  }

  @Test
  void anOpenedTicketIsPostedToTheWebhookAndListedAsSent() {
    start(true);
    long ticket = reportedCase();
    await().atMost(WAIT).until(() -> slack.received().size() == 1);
    assertThat(slack.received().get(0).json().get("text").asText())
        .contains("ticket.opened", "ticket/" + ticket);
    await().atMost(WAIT).until(() -> listed().get(0).get("status").asText().equals("sent"));
    JsonNode sent = listed().get(0);
    assertThat(sent.get("rule").asText()).isEqualTo("desk");
    assertThat(sent.get("subject").asText()).isEqualTo("ticket/" + ticket);
    assertThat(listed()).hasSize(1);
  }

  @Test
  void aReceiverFailingOnceGetsTheMessageOnALaterRound() {
    slack.script(500);
    start(true);
    reportedCase();
    await()
        .atMost(WAIT)
        .until(() -> listed().size() == 1 && listed().get(0).get("status").asText().equals("sent"));
    assertThat(slack.received())
        .extracting(FakeHelpdesk.Received::status)
        .containsExactly(500, 200);
    assertThat(listed().get(0).get("attempts").asInt()).isEqualTo(2);
  }

  @Test
  void aWebhookOnALoopbackAddressIsRefusedUnlessAllowed() {
    start(false);
    reportedCase();
    await()
        .atMost(WAIT)
        .until(
            () -> listed().size() == 1 && listed().get(0).get("status").asText().equals("failed"));
    assertThat(listed().get(0).get("lastError").asText())
        .contains("internal address", "notifications.outboundAllowPrivate");
    assertThat(slack.received()).isEmpty();
  }

  private JsonNode listed() {
    return platform.api().get("/api/v1/notifications").body().get("notifications");
  }
}
