package io.aftercare.simulator.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.aftercare.simulator.testing.CoapContractStub;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The CoAP side of the load generator against a contract stub (no platform CoAP server yet), so
 * without the database check: everything sent is acknowledged with 2.04 and reaches the server.
 */
class CoapLoadTest {

  @Test
  void everyScheduledCoapMessageIsAcknowledged() {
    try (CoapContractStub server = new CoapContractStub("unused", "unused")) {
      LoadSettings settings =
          new LoadSettings(
              5,
              "coap",
              100,
              1,
              Duration.ofSeconds(2),
              2,
              4,
              100,
              "sim-",
              false,
              URI.create("tcp://127.0.0.1:1"),
              server.coapUri());

      LoadReport report = new LoadTest(settings, null, null).run();

      assertThat(report.sent()).isEqualTo(200);
      assertThat(report.acked()).isEqualTo(200);
      assertThat(report.failed()).isZero();
      assertThat(report.lost()).isEqualTo("unknown");
      assertThat(server.received()).hasSize(200);
      assertThat(server.received().get(0).path()).isEqualTo("devices/sim-00000/telemetry");
    }
  }
}
