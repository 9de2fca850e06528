package io.aftercare.simulator.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadSettingsTest {

  private static final URI NODE_A = URI.create("tcp://127.0.0.1:1883");
  private static final URI NODE_B = URI.create("tcp://127.0.0.1:2883");

  @Test
  void mqttDevicesTakeTheServersInTurn() {
    LoadSettings settings = settings(List.of(NODE_A, NODE_B));

    assertThat(List.of(0, 1, 2, 3, 10_001).stream().map(settings::mqttServer))
        .containsExactly(NODE_A, NODE_B, NODE_A, NODE_B, NODE_B);
  }

  @Test
  void oneServerTakesEveryDevice() {
    LoadSettings settings = settings(List.of(NODE_A));

    assertThat(settings.mqttServer(0)).isEqualTo(NODE_A);
    assertThat(settings.mqttServer(9_999)).isEqualTo(NODE_A);
  }

  private static LoadSettings settings(List<URI> mqtt) {
    return new LoadSettings(
        4,
        "mqtt",
        100,
        1,
        Duration.ofSeconds(1),
        Duration.ZERO,
        5,
        1,
        32,
        100,
        "sim-",
        false,
        mqtt,
        URI.create("coap://127.0.0.1:5683"),
        List.of());
  }
}
