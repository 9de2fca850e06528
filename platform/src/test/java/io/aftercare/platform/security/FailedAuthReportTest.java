package io.aftercare.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.FromAddress;
import io.aftercare.platform.testing.TestPlatform;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The failed-authentication report stays bounded however many sources fail: beyond {@code
 * maxReportedSources} per interval, the rest share one {@code other-sources} entry.
 */
class FailedAuthReportTest {

  private static TestPlatform platform;
  private static ApiClient admin;

  @BeforeAll
  static void start() {
    platform =
        TestPlatform.start(
            Map.of(
                "security.failedAuth.maxReportedSources", "1",
                "security.failedAuth.reportInterval", "2s"));
    admin = platform.api();
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void sourcesBeyondTheLimitShareOneEntry() {
    for (String source : new String[] {"127.0.0.21", "127.0.0.22", "127.0.0.23"}) {
      FromAddress.HttpAnswer answer =
          FromAddress.http(
              source,
              platform.platform().httpPort(),
              "GET",
              "/api/v1/devices",
              Map.of("Authorization", "Bearer acs_nobody.wrong"),
              null);
      assertThat(answer.status()).isEqualTo(401);
    }

    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> entries().stream().mapToLong(e -> e.at("/detail/failures").asLong()).sum() == 3);
    List<JsonNode> entries = entries();
    assertThat(entries).hasSizeBetween(2, 3);
    assertThat(entries)
        .anySatisfy(
            entry -> {
              assertThat(entry.at("/detail/source").asText()).isEqualTo("other-sources");
              assertThat(entry.hasNonNull("remoteAddress")).isFalse();
            });
  }

  private static List<JsonNode> entries() {
    List<JsonNode> found = new ArrayList<>();
    admin
        .get("/api/v1/audit?action=auth.failed&target=http&limit=1000")
        .body()
        .get("entries")
        .forEach(found::add);
    return found;
  }
}
