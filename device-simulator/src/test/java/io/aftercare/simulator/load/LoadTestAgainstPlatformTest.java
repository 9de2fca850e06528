package io.aftercare.simulator.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.simulator.testing.SimulatorPlatform;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code load} subcommand against the real in-process platform. The first test is the CI load
 * smoke: 200 devices for 10 s at MQTT QoS 1, failing on any lost, duplicated or failed message and
 * on any error, never on speed (CI machines are shared and their speed says nothing).
 */
class LoadTestAgainstPlatformTest {

  private static SimulatorPlatform platform;

  @BeforeAll
  static void startPlatform() {
    platform = SimulatorPlatform.start();
  }

  @AfterAll
  static void stopPlatform() {
    platform.close();
  }

  @Test
  void loadSmokeEveryQos1MessageIsAckedAndStoredExactlyOnce(@TempDir Path dir) throws Exception {
    Path report = dir.resolve("load.json");

    int exit =
        platform.runSimulator(
            "load",
            "--mqtt",
            platform.mqttUri(),
            "--devices",
            "200",
            "--rate",
            "1000",
            "--metrics",
            "5",
            "--qos",
            "1",
            "--duration",
            "10s",
            "--warmup",
            "2s",
            "--report",
            report.toString());

    assertThat(exit).isZero();
    JsonNode json = new ObjectMapper().readTree(report.toFile());
    assertThat(json.get("devices").asInt()).isEqualTo(200);
    assertThat(json.get("connected").asInt()).isEqualTo(200);
    // The warm-up's 2 s at the full rate are sent and checked for loss like the rest.
    assertThat(json.get("sent").asLong()).isEqualTo(12_000);
    assertThat(json.get("acked").asLong()).isEqualTo(json.get("sent").asLong());
    assertThat(json.get("failed").asLong()).isZero();
    assertThat(json.get("lost").asLong()).isZero();
    assertThat(json.get("duplicated").asLong()).isZero();
    assertThat(json.get("storedNotAcked").asLong()).isZero();
    assertThat(json.get("errors").size()).as(json.get("errors").toString()).isZero();
    assertThat(json.get("latencyMs").get("p99").asDouble()).isPositive();
    assertThat(json.get("simulator").get("cores").asInt()).isPositive();
    // The generator's own CPU is reported, so a result it limited can be recognised.
    assertThat(json.get("simulator").get("cpuSeconds").asDouble()).isPositive();
    // The generator's own lateness is reported, and is part of (so at most) the latency.
    assertThat(json.get("simulator").get("lagMs").get("max").asDouble())
        .isBetween(0.0, json.get("latencyMs").get("max").asDouble());
    assertThat(json.get("simulator").has("cpuPercentOfMachine")).isTrue();
    // CPU per acknowledged message over the measured window: the generator's own at least.
    JsonNode costs = json.get("cpuPerProcess");
    assertThat(costs.get("ackedMessages").asLong()).isEqualTo(10_000);
    assertThat(costs.get("processes").get(0).get("name").asText()).isEqualTo("generator");
    assertThat(costs.get("processes").get(0).get("microsPerAckedMessage").asDouble()).isPositive();
    assertThat(platform.platform().count("SELECT count(*) FROM telemetry WHERE metric = 'load_0'"))
        .isEqualTo(12_000);
  }

  @Test
  void aMixedFleetSendsHalfOverCoapAndLosesNothing(@TempDir Path dir) throws Exception {
    Path report = dir.resolve("mixed.json");
    double mqttBefore = platform.platform().metric("aftercare_mqtt_publish_stored_total");
    double coapBefore = platform.platform().metric("aftercare_coap_uplink_stored_total");

    int exit =
        platform.runSimulator(
            "load",
            "--mqtt",
            platform.mqttUri(),
            "--coap",
            platform.coapUri(),
            "--protocol",
            "mixed",
            "--id-prefix",
            "mixed-",
            "--devices",
            "10",
            "--rate",
            "100",
            "--duration",
            "2s",
            "--warmup",
            "0s",
            "--report",
            report.toString());

    assertThat(exit).isZero();
    JsonNode json = new ObjectMapper().readTree(report.toFile());
    assertThat(json.get("connected").asInt()).isEqualTo(10);
    assertThat(json.get("sent").asLong()).isEqualTo(200);
    assertThat(json.get("acked").asLong()).isEqualTo(200);
    assertThat(json.get("lost").asLong()).isZero();
    assertThat(json.get("duplicated").asLong()).isZero();
    // Every other device is a CoAP one: the two channels each stored half.
    assertThat(platform.platform().metric("aftercare_mqtt_publish_stored_total") - mqttBefore)
        .isEqualTo(100);
    assertThat(platform.platform().metric("aftercare_coap_uplink_stored_total") - coapBefore)
        .isEqualTo(100);
  }

  @Test
  void anonymousDevicesAreRefusedAndTheReportSaysSoInsteadOfGuessingLoss() {
    LoadSettings settings =
        new LoadSettings(
            3,
            "mqtt",
            30,
            1,
            Duration.ofSeconds(1),
            Duration.ZERO,
            1,
            1,
            4,
            100,
            "sim-",
            false,
            List.of(URI.create(platform.mqttUri())),
            URI.create("coap://127.0.0.1:1"),
            List.of());

    LoadReport report = new LoadTest(settings, null, null).run();

    assertThat(report.connected()).isZero();
    assertThat(report.sent()).isEqualTo(30);
    assertThat(report.acked()).isZero();
    assertThat(report.failed()).isEqualTo(30);
    assertThat(report.lost()).isEqualTo("unknown");
    assertThat(report.errors()).containsEntry("not_connected", 30L);
    assertThat(report.errors().keySet())
        .anySatisfy(kind -> assertThat(kind).startsWith("connect_failed"));
  }
}
