package io.aftercare.simulator.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.simulator.Main;
import io.aftercare.simulator.testing.SimulatorPlatform;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CoAP side of the load generator against the real platform, kept tiny. */
class CoapLoadTest {

  @Test
  void everyConfirmableCoapMessageIsAcknowledgedAndStoredOnce(@TempDir Path dir) throws Exception {
    try (SimulatorPlatform platform = SimulatorPlatform.start()) {
      Path report = dir.resolve("coap.json");

      int exit =
          Main.commandLine()
              .execute(
                  "load",
                  "--api",
                  platform.apiUrl(),
                  "--admin-token",
                  SimulatorPlatform.ADMIN_TOKEN,
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
                  "--duration",
                  "2s",
                  "--report",
                  report.toString());

      assertThat(exit).isZero();
      JsonNode json = new ObjectMapper().readTree(report.toFile());
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
}
