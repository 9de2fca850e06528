package io.aftercare.platform.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.TestPlatform;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A bulk command dispatched at one command a second: a member's second batch waits for the first
 * (429), and a restart in the middle neither loses nor repeats a target.
 */
class BulkCommandRestartTest {

  private static final int DEVICES = 6;
  private static TestPlatform platform;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start(Map.of("commands.bulk.ratePerSecond", "1"));
    for (int i = 1; i <= DEVICES; i++) {
      platform.api().provisionDevice("br-plug-" + i, "smart_plug");
    }
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  private static Map<String, Object> identifyEveryPlug(int expectedCount) {
    return Map.of(
        "filter",
        Map.of("idPrefix", "br-plug-"),
        "command",
        "identify",
        "expectedCount",
        expectedCount);
  }

  @Test
  void aRestartMidDispatchNeitherLosesNorRepeatsATarget() {
    ApiClient technician = platform.api().as(platform.api().createStaff("br-tech", "technician"));
    ApiClient.Response accepted =
        technician.post("/api/v1/bulk-commands", identifyEveryPlug(DEVICES));
    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
    String id = accepted.body().get("id").asText();

    // The same member's next batch waits until this one is dispatched.
    ApiClient.Response busy = technician.post("/api/v1/bulk-commands", identifyEveryPlug(DEVICES));
    assertThat(busy.status()).isEqualTo(429);
    assertThat(busy.body().get("detail").asText()).contains("already have a bulk command");

    await().atMost(Duration.ofSeconds(20)).until(() -> dispatched(id) >= 1);
    AtomicLong dispatchedWhileDown = new AtomicLong();
    platform.restart(() -> dispatchedWhileDown.set(dispatched(id)));
    assertThat(dispatchedWhileDown.get()).as("stopped mid-dispatch").isBetween(1L, DEVICES - 1L);

    ApiClient admin = platform.api();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> admin.get("/api/v1/bulk-commands/" + id).body().get("status").asText(),
            "done"::equals);
    JsonNode batch = admin.get("/api/v1/bulk-commands/" + id).body();
    assertThat(batch.get("submitted").asInt()).isEqualTo(DEVICES);
    Set<String> devices = new HashSet<>();
    for (JsonNode result : batch.get("results")) {
      devices.add(result.get("deviceId").asText());
      // Offline plugs: each command waits for its device to connect.
      assertThat(result.get("status").asText()).as(result.toString()).isEqualTo("queued");
      assertThat(result.has("error")).isFalse();
    }
    assertThat(devices).hasSize(DEVICES);
    assertThat(
            platform.count(
                "SELECT count(*) FROM commands WHERE device_id LIKE 'br-plug-%'"
                    + " AND name = 'identify'"))
        .as("one command per device, none twice")
        .isEqualTo(DEVICES);
  }

  private static long dispatched(String id) {
    return platform.count(
        "SELECT count(*) FROM bulk_command_targets WHERE bulk_id = ? AND dispatched_at IS NOT NULL",
        id);
  }
}
