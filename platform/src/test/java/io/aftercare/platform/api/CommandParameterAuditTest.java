package io.aftercare.platform.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.TestPlatform;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A submitted command's audit entry carries its parameters as given. */
class CommandParameterAuditTest {

  private static TestPlatform platform;
  private static ApiClient admin;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start();
    admin = platform.api();
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void theSubmissionIsAuditedWithItsParameters() {
    admin.provisionDevice("cpa-plug", "plug");
    ApiClient technician = admin.as(admin.createStaff("cpa-tech", "technician"));

    ApiClient.Response submitted =
        technician.post(
            "/api/v1/devices/cpa-plug/commands",
            Map.of("name", "identify", "params", Map.of("seconds", 7)));

    assertThat(submitted.status()).isEqualTo(202);
    JsonNode entries =
        admin.get("/api/v1/audit?action=command.submit&actor=cpa-tech").body().get("entries");
    assertThat(entries).hasSize(1);
    JsonNode detail = entries.get(0).get("detail");
    assertThat(detail.get("command").asText()).isEqualTo("identify");
    assertThat(detail.get("device").asText()).isEqualTo("cpa-plug");
    assertThat(detail.at("/params/seconds").asInt()).isEqualTo(7);
  }
}
