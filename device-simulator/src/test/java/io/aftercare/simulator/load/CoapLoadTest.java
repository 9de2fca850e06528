package io.aftercare.simulator.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.simulator.testing.SimulatorPlatform;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CoAP side of the load generator against the real platform, kept tiny. */
class CoapLoadTest {

  @Test
  void everyConfirmableCoapMessageIsAcknowledgedAndStoredOnce(@TempDir Path dir) throws Exception {
    try (SimulatorPlatform platform = SimulatorPlatform.start()) {
      JsonNode json = coapLoad(platform, dir, 1);

      assertThat(json.get("sent").asLong()).isEqualTo(200);
      assertThat(json.get("acked").asLong()).isEqualTo(200);
      assertThat(json.get("failed").asLong()).isZero();
      assertThat(json.get("lost").asLong()).isZero();
      assertThat(json.get("duplicated").asLong()).isZero();
      assertThat(
              platform.platform().count("SELECT count(*) FROM telemetry WHERE metric = 'load_0'"))
          .isEqualTo(200);
    }
  }

  @Test
  void aBatchOfDocumentsPerRequestStoresEveryDocumentOnceAndCountsItsPoints(@TempDir Path dir)
      throws Exception {
    try (SimulatorPlatform platform = SimulatorPlatform.start()) {
      JsonNode json = coapLoad(platform, dir, 3);

      assertThat(json.get("acked").asLong()).isEqualTo(200);
      assertThat(json.get("lost").asLong()).isZero();
      assertThat(json.get("duplicated").asLong()).isZero();
      assertThat(json.get("storedNotAcked").asLong()).isZero();
      assertThat(json.get("documentsPerMessage").asInt()).isEqualTo(3);
      assertThat(json.get("pointsPerSecond").asDouble())
          .isEqualTo(json.get("messagesPerSecond").asDouble() * 3 * 2, within(0.1));
      assertThat(
              platform.platform().count("SELECT count(*) FROM telemetry WHERE metric = 'load_0'"))
          .isEqualTo(600);
    }
  }

  /** 5 devices, 100 requests/s for 2 s, no warm-up, 2 metrics per document. */
  private static JsonNode coapLoad(SimulatorPlatform platform, Path dir, int documents)
      throws Exception {
    Path report = dir.resolve("coap.json");
    int exit =
        platform.runSimulator(
            "load",
            "--coap",
            platform.coapUri(),
            "--protocol",
            "coap",
            "--devices",
            "5",
            "--rate",
            "100",
            "--metrics",
            "2",
            "--documents",
            Integer.toString(documents),
            "--duration",
            "2s",
            "--warmup",
            "0s",
            "--report",
            report.toString());
    assertThat(exit).isZero();
    return new ObjectMapper().readTree(report.toFile());
  }
}
