package io.aftercare.platform.tickets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.platform.testing.TestPlatform;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SSRF: a helpdesk URL on a loopback address is refused when not explicitly allowed. */
class OutboundRefusalTest {

  private static FakeHelpdesk helpdesk;
  private static TestPlatform platform;

  @BeforeAll
  static void start() {
    helpdesk = FakeHelpdesk.start();
    platform =
        TestPlatform.start(
            Map.of(
                "tickets.connector.webhookUrl",
                helpdesk.url("/hooks").replace("127.0.0.1", "localhost"),
                "tickets.connector.webhookSecret",
                StandardWebhooks.SECRET,
                "tickets.pollInterval",
                "50ms"));
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
  void aLoopbackHelpdeskIsNeverCalledAndTheEventIsParkedForStaff() {
    TicketRequests.open(platform.database(), "cam-1", "offline");

    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                platform.api().get("/api/v1/bridge/dead-letters").body().path("deadLetters").size()
                    == 1);
    JsonNode dead = platform.api().get("/api/v1/bridge/dead-letters").body().at("/deadLetters/0");
    assertThat(dead.path("lastError").asText()).contains("internal address");
    assertThat(helpdesk.received()).isEmpty();
  }
}
