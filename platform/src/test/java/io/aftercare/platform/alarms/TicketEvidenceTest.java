package io.aftercare.platform.alarms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.platform.testing.TestPlatform;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a ticket's evidence summarises for a device that sends many documents, as the ticket API
 * shows it.
 */
class TicketEvidenceTest {

  @Test
  void aBusyDevicesEvidenceSummarisesItsLatestDocumentsAndSaysFromWhen() {
    try (TestPlatform platform = TestPlatform.start(Map.of("diagnostics.tickInterval", "200ms"))) {
      int documents = Evidence.MAX_DOCUMENTS + 100;
      // A hub that sent a document every 3 s (memory_free_pct 0, 1, 2, …) until 20 minutes ago,
      // then went silent: the first tick after the start raises device_offline with a ticket.
      Instant lastDocument =
          Instant.now().minus(Duration.ofMinutes(20)).truncatedTo(ChronoUnit.SECONDS);
      platform.restart(
          () -> {
            platform.execute(
                "INSERT INTO devices (id, type, token_salt, token_hash, created_at, last_seen_at)"
                    + " VALUES ('busy-hub', 'hub', '\\x00', '\\x00', ?, ?)",
                Timestamp.from(lastDocument.minus(Duration.ofHours(1))),
                Timestamp.from(lastDocument));
            platform.execute(
                "INSERT INTO telemetry_documents (device_id, ts, metrics)"
                    + " SELECT 'busy-hub', ?::timestamptz - (? - 1 - i) * interval '3 s',"
                    + " jsonb_build_object('memory_free_pct', i) FROM generate_series(0, ? - 1) i",
                Timestamp.from(lastDocument),
                documents,
                documents);
            platform.execute("UPDATE platform_heartbeat SET listened_at = now()");
          });

      JsonNode tickets =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () ->
                      platform.api().get("/api/v1/tickets?deviceId=busy-hub").body().get("tickets"),
                  found -> found.size() == 1);
      JsonNode window = tickets.get(0).get("evidence").get("telemetryWindow");
      JsonNode memory = window.get("metrics").get("memory_free_pct");

      // Only the latest MAX_DOCUMENTS were read, and the window says where they start.
      assertThat(memory.get("count").asLong()).isEqualTo(Evidence.MAX_DOCUMENTS);
      assertThat(memory.get("min").asDouble()).isEqualTo(documents - Evidence.MAX_DOCUMENTS);
      assertThat(memory.get("max").asDouble()).isEqualTo(documents - 1);
      assertThat(memory.get("last").asDouble()).isEqualTo(documents - 1);
      assertThat(Instant.parse(window.get("from").asText()))
          .isEqualTo(lastDocument.minusSeconds(3L * (Evidence.MAX_DOCUMENTS - 1)));
    }
  }
}
