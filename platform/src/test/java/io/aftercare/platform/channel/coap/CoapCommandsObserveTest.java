package io.aftercare.platform.channel.coap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.CoapDevice;
import io.aftercare.platform.testing.TestPlatform;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapHandler;
import org.eclipse.californium.core.CoapObserveRelation;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Devices observe {@code GET /devices/{id}/commands} to be told about commands. */
class CoapCommandsObserveTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static TestPlatform platform;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start();
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  /** Every notification the device received. */
  private static final class Notifications implements CoapHandler {
    final List<CoapResponse> received = new CopyOnWriteArrayList<>();

    @Override
    public void onLoad(CoapResponse response) {
      received.add(response);
    }

    @Override
    public void onError() {
      // Left empty: the assertions read what was received.
    }
  }

  @Test
  void authorizedDeviceObservesItsCommandsAndIsNotified() throws Exception {
    String token = platform.api().provisionDevice("obs-1", "thermostat");
    try (CoapDevice device = CoapDevice.plain(platform.coapUri())) {
      CoapClient client = device.client("/devices/obs-1/commands?token=" + token);
      Notifications notifications = new Notifications();

      CoapObserveRelation relation = client.observeAndWait(notifications);

      CoapResponse first = relation.getCurrent();
      assertThat(first.getCode()).isEqualTo(ResponseCode.CONTENT);
      assertThat(first.getOptions().getContentFormat())
          .isEqualTo(MediaTypeRegistry.APPLICATION_JSON);
      assertThat(first.getResponseText()).isEqualTo("[]");
      assertThat(first.getOptions().hasObserve()).isTrue();
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> platform.platform().coapCommands().isObserved("obs-1"));

      // A technician queues a command: the device is notified with it.
      ApiClient technician =
          platform.api().as(platform.api().createStaff("coap-tech", "technician"));
      ApiClient.Response submitted =
          technician.post(
              "/api/v1/devices/obs-1/commands", Map.of("name", "reboot", "params", Map.of()));
      String commandId = submitted.body().get("commandId").asText();
      await().atMost(Duration.ofSeconds(10)).until(() -> notifications.received.size() >= 2);
      JsonNode delivered = JSON.readTree(notifications.received.get(1).getResponseText());
      assertThat(delivered).hasSize(1);
      assertThat(delivered.get(0).get("commandId").asText()).isEqualTo(commandId);
      assertThat(delivered.get(0).get("name").asText()).isEqualTo("reboot");
      await().atMost(Duration.ofSeconds(10)).until(() -> status(commandId).equals("sent"));

      // The device answers over CoAP; the answer is 2.04 once committed.
      CoapResponse answer =
          device.postJson(
              "/devices/obs-1/commands/result?token=" + token,
              "{\"commandId\":\""
                  + commandId
                  + "\",\"status\":\"succeeded\",\"output\":{\"uptime_s\":2}}");
      assertThat(answer.getCode()).isEqualTo(ResponseCode.CHANGED);
      assertThat(status(commandId)).isEqualTo("succeeded");
      assertThat(
              platform
                  .api()
                  .get("/api/v1/commands/" + commandId)
                  .body()
                  .get("output")
                  .get("uptime_s")
                  .asInt())
          .isEqualTo(2);

      relation.proactiveCancel();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !platform.platform().coapCommands().isObserved("obs-1"));
      client.shutdown();
    }
  }

  @Test
  void commandQueuedWhileTheDeviceWasAwayIsInItsNextAnswer() throws Exception {
    String token = platform.api().provisionDevice("obs-6", "lock");
    String commandId =
        platform
            .api()
            .post(
                "/api/v1/devices/obs-6/commands",
                Map.of("name", "identify", "params", Map.of("seconds", 3)))
            .body()
            .get("commandId")
            .asText();
    try (CoapDevice device = CoapDevice.plain(platform.coapUri())) {
      CoapClient client = device.client("/devices/obs-6/commands?token=" + token);

      JsonNode commands = JSON.readTree(client.get().getResponseText());

      assertThat(commands).hasSize(1);
      assertThat(commands.get(0).get("commandId").asText()).isEqualTo(commandId);
      await().atMost(Duration.ofSeconds(10)).until(() -> status(commandId).equals("sent"));
      client.shutdown();
    }
  }

  @Test
  void aDeviceCannotAnswerAnotherDevicesCommand() throws Exception {
    platform.api().provisionDevice("obs-7", "plug");
    String intruderToken = platform.api().provisionDevice("obs-8", "plug");
    String commandId =
        platform
            .api()
            .post("/api/v1/devices/obs-7/commands", Map.of("name", "identify"))
            .body()
            .get("commandId")
            .asText();
    try (CoapDevice device = CoapDevice.plain(platform.coapUri())) {
      CoapResponse answer =
          device.postJson(
              "/devices/obs-8/commands/result?token=" + intruderToken,
              "{\"commandId\":\"" + commandId + "\",\"status\":\"succeeded\"}");

      assertThat(answer.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
      assertThat(status(commandId)).isEqualTo("queued");
    }
  }

  private static String status(String commandId) {
    return platform.api().get("/api/v1/commands/" + commandId).body().get("status").asText();
  }

  @Test
  void anotherDevicesTokenCannotObserve() throws Exception {
    platform.api().provisionDevice("obs-2", "lock");
    String otherToken = platform.api().provisionDevice("obs-3", "lock");
    try (CoapDevice device = CoapDevice.plain(platform.coapUri())) {
      CoapClient client = device.client("/devices/obs-2/commands?token=" + otherToken);
      Notifications answers = new Notifications();

      CoapObserveRelation relation = client.observe(answers);

      await().atMost(Duration.ofSeconds(10)).until(() -> !answers.received.isEmpty());
      CoapResponse refused = answers.received.get(0);
      assertThat(refused.getCode()).isEqualTo(ResponseCode.UNAUTHORIZED);
      // An error answer carries no Observe option: no relation was established.
      assertThat(refused.getOptions().hasObserve()).isFalse();
      assertThat(platform.platform().coapCommands().isObserved("obs-2")).isFalse();
      assertThat(platform.platform().coapCommands().notify("obs-2")).isFalse();
      relation.proactiveCancel();
      client.shutdown();
    }
  }

  @Test
  void dtlsIdentityOfAnotherDeviceIsForbidden() throws Exception {
    String dtlsKey = platform.api().provisionDeviceCredentials("obs-4", "hub").dtlsKey();
    platform.api().provisionDevice("obs-5", "hub");
    try (CoapDevice device = CoapDevice.dtls(platform.coapsUri(), "obs-4", dtlsKey)) {
      CoapClient own = device.client("/devices/obs-4/commands");
      CoapClient other = device.client("/devices/obs-5/commands");

      assertThat(own.get().getResponseText()).isEqualTo("[]");
      assertThat(other.get().getCode()).isEqualTo(ResponseCode.FORBIDDEN);
      own.shutdown();
      other.shutdown();
    }
  }
}
