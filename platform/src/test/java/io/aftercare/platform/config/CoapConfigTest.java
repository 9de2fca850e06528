package io.aftercare.platform.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CoAP keys: documented defaults in aftercare.yaml, and the contract's environment names. */
class CoapConfigTest {

  @Test
  void defaultsAreTheContractPortsAndTheDocumentedLimits() {
    AftercareConfig.Coap coap = new ConfigLoader().load(Map.of()).coap();

    assertThat(coap.port()).isEqualTo(5683);
    assertThat(coap.securePort()).isEqualTo(5684);
    assertThat(coap.maxPayloadBytes()).isEqualTo(16384);
    assertThat(coap.blockSize()).isEqualTo(1024);
    assertThat(coap.exchangeLifetime()).isEqualTo(Duration.ofSeconds(247));
    assertThat(coap.onlineWindow()).isEqualTo(Duration.ofMinutes(10));
    // Bounded per peer: MARK_AND_SWEEP kept every exchange for 247 s and ran a 1 GiB gateway out
    // of memory at 3,000 requests/s.
    assertThat(coap.deduplicator()).isEqualTo("PEERS_MARK_AND_SWEEP");
  }

  @Test
  void environmentOverridesCoapPortsAndServerKey() {
    AftercareConfig config =
        new ConfigLoader()
            .load(
                null,
                Map.of(
                    "AFTERCARE_COAP_PORT", "15683",
                    "AFTERCARE_COAPS_PORT", "15684",
                    "AFTERCARE_SERVER_KEY", "c2VydmVyLWtleQ=="));

    assertThat(config.coap().port()).isEqualTo(15683);
    assertThat(config.coap().securePort()).isEqualTo(15684);
    assertThat(config.security().serverKey()).isEqualTo("c2VydmVyLWtleQ==");
    assertThat(config.security().toString()).doesNotContain("c2VydmVyLWtleQ==");
  }
}
