package io.aftercare.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aftercare.bridge.testing.FakeHelpdesk;
import io.aftercare.bridge.testing.SampleRequests;
import io.aftercare.bridge.testing.StandardWebhooks;
import io.aftercare.bridge.testing.TestBridge;
import io.aftercare.bridge.testing.TestBridgeConfig;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SSRF: a helpdesk URL on a loopback address is refused when not explicitly allowed. */
class OutboundRefusalTest {

  private static FakeHelpdesk helpdesk;
  private static TestBridge test;

  @BeforeAll
  static void start() {
    helpdesk = FakeHelpdesk.start();
    test =
        TestBridge.start(
            TestBridgeConfig.defaults()
                .webhook(
                    helpdesk.url("/hooks").replace("127.0.0.1", "localhost"),
                    StandardWebhooks.SECRET)
                .pollInterval(Duration.ofMillis(50))
                .build());
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
  void aLoopbackHelpdeskIsNeverCalledAndTheEventIsParkedForStaff() {
    SampleRequests.open(test.database(), "cam-1", "offline");

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> test.bridge().tickets().deadLetters(100).size() == 1);
    DeadLetter dead = test.bridge().tickets().deadLetters(100).get(0);
    assertThat(dead.lastError()).contains("internal address");
    assertThat(helpdesk.received()).isEmpty();
  }
}
