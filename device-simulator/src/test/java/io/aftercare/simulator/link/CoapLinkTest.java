package io.aftercare.simulator.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aftercare.simulator.testing.CoapContractStub;
import io.aftercare.simulator.testing.CoapContractStub.Received;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The CoAP device side against a Californium server that speaks the contract (the platform's own
 * CoAP server is not there yet; replace the stub with TestPlatform once it is).
 */
class CoapLinkTest {

  private static final String DEVICE = "fridge-001";
  private static final String TOKEN = "tok-123";

  private final CoapContractStub server = new CoapContractStub(DEVICE, TOKEN);
  private final DeviceLinks links =
      new DeviceLinks("tcp://unused:1", server.coapUri(), server.coapsUri());

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void plainCoapPostsTelemetryToTheDevicePathWithTheTokenInTheQuery() throws Exception {
    try (DeviceLink link = links.open(Protocol.COAP, DEVICE, TOKEN)) {
      link.connect(command -> {});
      link.send(Channel.TELEMETRY, json("{\"metrics\":{\"fridge_temp_c\":4.1}}"));
    }

    assertThat(server.received())
        .singleElement()
        .isEqualTo(
            new Received(
                "devices/fridge-001/telemetry",
                TOKEN,
                null,
                MediaTypeRegistry.APPLICATION_JSON,
                "{\"metrics\":{\"fridge_temp_c\":4.1}}"));
  }

  @Test
  void dtlsAuthenticatesWithThePskAndSendsNoTokenInTheQuery() throws Exception {
    try (DeviceLink link = links.open(Protocol.COAPS, DEVICE, TOKEN)) {
      link.connect(command -> {});
      link.send(Channel.EVENTS, json("{\"type\":\"error\",\"code\":\"E_COMPRESSOR_STALL\"}"));
    }

    Received request = server.received().get(0);
    assertThat(request.path()).isEqualTo("devices/fridge-001/events");
    assertThat(request.pskIdentity()).isEqualTo(DEVICE);
    assertThat(request.token()).isNull();
  }

  @Test
  void commandsArriveAsNotificationsOfTheObservedCommandsResource() throws Exception {
    List<String> commands = new CopyOnWriteArrayList<>();
    try (DeviceLink link = links.open(Protocol.COAP, DEVICE, TOKEN)) {
      link.connect(command -> commands.add(new String(command, StandardCharsets.UTF_8)));
      // The observation is registered asynchronously; push until the first notification lands.
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                server.pushCommand("{\"commandId\":\"c-1\",\"name\":\"identify\"}");
                assertThat(commands).contains("{\"commandId\":\"c-1\",\"name\":\"identify\"}");
              });
    }
  }

  private static byte[] json(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
