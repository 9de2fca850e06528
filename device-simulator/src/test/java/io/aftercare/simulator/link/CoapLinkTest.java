package io.aftercare.simulator.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.simulator.testing.SimulatorPlatform;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The simulator's CoAP device side against the platform's real CoAP and DTLS endpoints. */
class CoapLinkTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static SimulatorPlatform platform;
  private static ApiClient api;
  private static DeviceLinks links;

  @BeforeAll
  static void start() {
    platform = SimulatorPlatform.start();
    api = platform.platform().api();
    links =
        new DeviceLinks(
            platform.mqttUri(),
            java.net.URI.create(platform.coapUri()),
            java.net.URI.create(platform.coapsUri()));
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void plainCoapTelemetryIsStoredByThePlatform() throws Exception {
    String token = api.provisionDevice("coap-fridge-1", "fridge");
    try (DeviceLink link =
        links.open(Protocol.COAP, "coap-fridge-1", new DeviceSecrets(token, null))) {
      link.connect(command -> {});
      link.send(Channel.TELEMETRY, json("{\"metrics\":{\"fridge_temp_c\":4.1}}"));
    }

    JsonNode points =
        api.get("/api/v1/devices/coap-fridge-1/telemetry?metric=fridge_temp_c")
            .body()
            .get("points");
    assertThat(points).hasSize(1);
    assertThat(points.get(0).get("value").asDouble()).isEqualTo(4.1);
  }

  @Test
  void dtlsEventsAreStoredByThePlatform() throws Exception {
    var provisioned = api.provisionDeviceCredentials("coaps-fridge-1", "fridge");
    DeviceSecrets secrets = new DeviceSecrets(provisioned.token(), provisioned.dtlsKey());
    try (DeviceLink link = links.open(Protocol.COAPS, "coaps-fridge-1", secrets)) {
      link.connect(command -> {});
      link.send(Channel.EVENTS, json("{\"type\":\"error\",\"code\":\"E_COMPRESSOR_STALL\"}"));
    }

    JsonNode events = api.get("/api/v1/devices/coaps-fridge-1/events").body().get("events");
    assertThat(events.get(0).get("code").asText()).isEqualTo("E_COMPRESSOR_STALL");
  }

  @Test
  void aQueuedCommandArrivesOnceThroughTheObservedCommandsResource() throws Exception {
    String token = api.provisionDevice("coap-lock-1", "door_lock");
    List<JsonNode> commands = new CopyOnWriteArrayList<>();
    try (DeviceLink link =
        links.open(Protocol.COAP, "coap-lock-1", new DeviceSecrets(token, null))) {
      link.connect(command -> commands.add(read(command)));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> platform.platform().platform().coapCommands().isObserved("coap-lock-1"));

      String commandId =
          api.post("/api/v1/devices/coap-lock-1/commands", Map.of("name", "identify"))
              .body()
              .get("commandId")
              .asText();

      await().atMost(Duration.ofSeconds(10)).until(() -> !commands.isEmpty());
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  api.get("/api/v1/commands/" + commandId)
                      .body()
                      .get("status")
                      .asText()
                      .equals("sent"));
      assertThat(commands)
          .singleElement()
          .satisfies(
              command -> {
                assertThat(command.get("commandId").asText()).isEqualTo(commandId);
                assertThat(command.get("name").asText()).isEqualTo("identify");
              });
    }
  }

  private static JsonNode read(byte[] json) {
    try {
      return JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] json(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
