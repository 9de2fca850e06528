package io.aftercare.platform.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.MqttCallbackAdapter;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.TestPlatform;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Remote-assist commands to MQTT devices, end to end, with real Paho devices. */
class MqttCommandsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger DEVICE_NUMBER = new AtomicInteger();
  private static TestPlatform platform;
  private static ApiClient admin;
  private static ApiClient technician;
  private static ApiClient supervisor;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start();
    admin = platform.api();
    technician = admin.as(admin.createStaff("tech", "technician"));
    supervisor = admin.as(admin.createStaff("super", "supervisor"));
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  /** A device that records the commands it receives and can answer them. */
  private record Device(String id, MqttClient client, BlockingQueue<JsonNode> received) {
    static Device connect(String id, String token) throws Exception {
      MqttClient client = PahoDevices.v3(platform.mqttUri(), id, token);
      BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
      client.subscribe(
          "devices/" + id + "/commands",
          1,
          (topic, message) -> received.add(JSON.readTree(message.getPayload())));
      return new Device(id, client, received);
    }

    JsonNode nextCommand() throws InterruptedException {
      JsonNode command = received.poll(10, TimeUnit.SECONDS);
      assertThat(command).as("a command reaches the device").isNotNull();
      return command;
    }

    void answer(String commandId, String status, String output) throws Exception {
      String result =
          "{\"commandId\":\""
              + commandId
              + "\",\"status\":\""
              + status
              + "\",\"output\":"
              + output
              + "}";
      client.publish(
          "devices/" + id + "/commands/result", result.getBytes(StandardCharsets.UTF_8), 1, false);
    }
  }

  private static String newDevice(String type) {
    String id = "cmd-" + DEVICE_NUMBER.incrementAndGet();
    return id + " " + admin.provisionDevice(id, type);
  }

  private static String submit(ApiClient caller, String deviceId, Map<String, Object> body) {
    ApiClient.Response response = caller.post("/api/v1/devices/" + deviceId + "/commands", body);
    assertThat(response.status()).as(String.valueOf(response.body())).isEqualTo(202);
    assertThat(response.body().get("status").asText()).isIn("queued");
    return response.body().get("commandId").asText();
  }

  private static JsonNode command(String commandId) {
    return admin.get("/api/v1/commands/" + commandId).body();
  }

  private static void awaitStatus(String commandId, String status) {
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> command(commandId).get("status").asText().equals(status));
  }

  @Test
  void commandReachesAConnectedDeviceAndItsResultIsVisible() throws Exception {
    String[] created = newDevice("thermostat").split(" ");
    Device device = Device.connect(created[0], created[1]);

    String commandId =
        submit(
            technician,
            device.id(),
            Map.of("name", "run_self_test", "params", Map.of("component", "sensors")));

    JsonNode received = device.nextCommand();
    assertThat(received.get("commandId").asText()).isEqualTo(commandId);
    assertThat(received.get("name").asText()).isEqualTo("run_self_test");
    assertThat(received.get("params").get("component").asText()).isEqualTo("sensors");
    assertThat(received.has("expiresAt")).isTrue();
    awaitStatus(commandId, "sent");

    device.answer(commandId, "accepted", "{}");
    awaitStatus(commandId, "accepted");
    device.answer(commandId, "succeeded", "{\"sensors\":\"ok\",\"uptime_s\":3}");
    awaitStatus(commandId, "succeeded");

    JsonNode record = command(commandId);
    assertThat(record.get("output").get("sensors").asText()).isEqualTo("ok");
    assertThat(record.get("sentAt").isNull()).isFalse();
    assertThat(record.get("acceptedAt").isNull()).isFalse();
    assertThat(record.get("completedAt").isNull()).isFalse();
    assertThat(record.get("transitions"))
        .extracting(t -> t.get("to").asText())
        .containsExactly("queued", "sent", "accepted", "succeeded");
    device.client().disconnect();
  }

  @Test
  void failedResultMarksTheCommandFailedWithTheDevicesOutput() throws Exception {
    String[] created = newDevice("smart_plug").split(" ");
    MqttAsyncClient device = PahoDevices.v5(platform.mqttUri(), created[0], created[1]);
    BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    device.setCallback(
        new MqttCallbackAdapter() {
          @Override
          public void messageArrived(String topic, MqttMessage message) throws Exception {
            received.add(JSON.readTree(message.getPayload()));
          }
        });
    device
        .subscribe(new MqttSubscription("devices/" + created[0] + "/commands", 1))
        .waitForCompletion(10_000);

    String commandId =
        submit(technician, created[0], Map.of("name", "reset_network", "params", Map.of()));
    JsonNode delivered = received.poll(10, TimeUnit.SECONDS);
    assertThat(delivered.get("commandId").asText()).isEqualTo(commandId);
    IMqttToken ack =
        device.publish(
            "devices/" + created[0] + "/commands/result",
            ("{\"commandId\":\""
                    + commandId
                    + "\",\"status\":\"failed\",\"output\":{\"error\":\"no AP in range\"}}")
                .getBytes(StandardCharsets.UTF_8),
            1,
            false);
    ack.waitForCompletion(10_000);
    assertThat(ack.getReasonCodes()).containsExactly(0);

    JsonNode record = command(commandId);
    assertThat(record.get("status").asText()).isEqualTo("failed");
    assertThat(record.get("output").get("error").asText()).isEqualTo("no AP in range");
    device.disconnect().waitForCompletion(10_000);
  }

  @Test
  void commandsForAnOfflineDeviceWaitAndArriveInOrderWhenItComesBack() throws Exception {
    String[] created = newDevice("door_lock").split(" ");
    String first =
        submit(technician, created[0], Map.of("name", "identify", "params", Map.of("seconds", 5)));
    String second =
        submit(
            technician,
            created[0],
            Map.of("name", "collect_logs", "params", Map.of("minutes", 30)));
    assertThat(command(first).get("status").asText()).isEqualTo("queued");

    Device device = Device.connect(created[0], created[1]);

    assertThat(device.nextCommand().get("commandId").asText()).isEqualTo(first);
    assertThat(device.nextCommand().get("commandId").asText()).isEqualTo(second);
    awaitStatus(first, "sent");
    awaitStatus(second, "sent");
    device.client().disconnect();
  }

  @Test
  void commandNotDeliveredWithinItsTtlExpires() throws Exception {
    String[] created = newDevice("camera").split(" ");
    String commandId =
        submit(
            technician, created[0], Map.of("name", "reboot", "params", Map.of(), "ttlSeconds", 1));

    awaitStatus(commandId, "expired");
    assertThat(command(commandId).get("expiredAt").isNull()).isFalse();

    // A device connecting afterwards does not get it.
    Device device = Device.connect(created[0], created[1]);
    assertThat(device.received().poll(2, TimeUnit.SECONDS)).isNull();
    device.client().disconnect();
  }

  @Test
  void deviceThatNeverAnswersTimesOutAndALateResultIsRecordedNotApplied() throws Exception {
    String[] created = newDevice("fridge").split(" ");
    Device device = Device.connect(created[0], created[1]);
    String commandId = submit(technician, created[0], Map.of("name", "reboot", "params", Map.of()));
    device.nextCommand();
    awaitStatus(commandId, "sent");

    // Given the command was delivered longer ago than its delivery timeout…
    platform.execute(
        "UPDATE commands SET sent_at = sent_at - INTERVAL '1 hour' WHERE id = ?", commandId);
    awaitStatus(commandId, "timed_out");

    device.answer(commandId, "succeeded", "{\"uptime_s\":1}");
    await().atMost(Duration.ofSeconds(10)).until(() -> command(commandId).hasNonNull("late"));
    JsonNode record = command(commandId);
    assertThat(record.get("status").asText()).isEqualTo("timed_out");
    assertThat(record.get("late").get("status").asText()).isEqualTo("succeeded");
    device.client().disconnect();
  }

  @Test
  void highRiskCommandNeedsASupervisorAndTheRefusalIsAudited() {
    String deviceId = newDevice("thermostat").split(" ")[0];

    ApiClient.Response refused =
        technician.post(
            "/api/v1/devices/" + deviceId + "/commands",
            Map.of("name", "firmware_rollback", "params", Map.of()));

    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.contentType()).startsWith("application/problem+json");
    assertThat(refused.body().get("detail").asText()).contains("supervisor");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(admin.get("/api/v1/audit?actor=tech").body().get("entries"))
                    .anySatisfy(
                        entry -> {
                          assertThat(entry.get("action").asText()).isEqualTo("command.submit");
                          assertThat(entry.get("outcome").asText()).isEqualTo("denied");
                          assertThat(entry.path("detail").path("command").asText())
                              .isEqualTo("firmware_rollback");
                        }));
    submit(
        supervisor,
        deviceId,
        Map.of("name", "firmware_rollback", "params", Map.of("version", "1.2.0")));
  }

  @Test
  void viewerCannotSubmitAnyCommand() {
    String deviceId = newDevice("hub").split(" ")[0];
    ApiClient viewer = admin.as(admin.createStaff("viewer-1", "viewer"));

    assertThat(
            viewer
                .post("/api/v1/devices/" + deviceId + "/commands", Map.of("name", "identify"))
                .status())
        .isEqualTo(403);
    assertThat(viewer.get("/api/v1/devices/" + deviceId + "/commands").status()).isEqualTo(200);
  }

  @Test
  void unknownCommandsAndBadParametersGetProblem400NamingTheField() {
    String deviceId = newDevice("smart_plug").split(" ")[0];
    String path = "/api/v1/devices/" + deviceId + "/commands";

    assertThat(technician.post(path, Map.of("name", "self_destruct")).body().get("detail").asText())
        .contains("'name'")
        .contains("self_destruct");
    assertThat(
            technician
                .post(path, Map.of("name", "identify", "params", Map.of("seconds", 500)))
                .body()
                .get("detail")
                .asText())
        .contains("params.seconds");
    assertThat(
            technician
                .post(path, Map.of("name", "identify", "params", Map.of("colour", "red")))
                .body()
                .get("detail")
                .asText())
        .contains("params.colour");
    assertThat(
            technician
                .post(path, Map.of("name", "set_config", "params", Map.of("value", "x")))
                .body()
                .get("detail")
                .asText())
        .contains("params.key");
    assertThat(
            technician
                .post(path, Map.of("name", "identify", "ttlSeconds", 0))
                .body()
                .get("detail")
                .asText())
        .contains("ttlSeconds");
    assertThat(
            technician.post("/api/v1/devices/nobody/commands", Map.of("name", "identify")).status())
        .isEqualTo(404);
    assertThat(admin.get("/api/v1/commands/c-unknown").status()).isEqualTo(404);
  }

  @Test
  void retryingWithTheSameIdempotencyKeyReturnsTheSameCommand() {
    String deviceId = newDevice("camera").split(" ")[0];
    String path = "/api/v1/devices/" + deviceId + "/commands";
    Map<String, Object> body = Map.of("name", "identify", "params", Map.of("seconds", 3));

    ApiClient.Response first = technician.post(path, body, Map.of("Idempotency-Key", "retry-42"));
    ApiClient.Response second = technician.post(path, body, Map.of("Idempotency-Key", "retry-42"));

    assertThat(first.status()).isEqualTo(202);
    assertThat(second.status()).isEqualTo(202);
    assertThat(second.body().get("commandId").asText())
        .isEqualTo(first.body().get("commandId").asText());
    assertThat(admin.get(path).body().get("commands")).hasSize(1);
  }

  @Test
  void aDeviceCanNeitherReadNorAnswerAnotherDevicesCommands() throws Exception {
    String[] owner = newDevice("door_lock").split(" ");
    String[] intruder = newDevice("door_lock").split(" ");
    String commandId = submit(technician, owner[0], Map.of("name", "identify"));
    MqttAsyncClient device = PahoDevices.v5(platform.mqttUri(), intruder[0], intruder[1]);

    IMqttToken subscription =
        device.subscribe(new MqttSubscription("devices/" + owner[0] + "/commands", 1));
    subscription.waitForCompletion(10_000);
    assertThat(subscription.getReasonCodes()).containsExactly(0x87);

    IMqttToken answer =
        device.publish(
            "devices/" + intruder[0] + "/commands/result",
            ("{\"commandId\":\"" + commandId + "\",\"status\":\"succeeded\"}")
                .getBytes(StandardCharsets.UTF_8),
            1,
            false);
    await().atMost(Duration.ofSeconds(10)).until(answer::isComplete);
    assertThat(answer.getReasonCodes()).containsExactly(0x87);
    assertThat(command(commandId).get("status").asText()).isEqualTo("queued");
    device.disconnect().waitForCompletion(10_000);
  }

  @Test
  void aDeviceCannotBeFloodedWithCommands() {
    String deviceId = newDevice("hub").split(" ")[0];
    String path = "/api/v1/devices/" + deviceId + "/commands";
    for (int i = 0; i < 5; i++) {
      submit(technician, deviceId, Map.of("name", "identify"));
    }

    ApiClient.Response refused = technician.post(path, Map.of("name", "identify"));

    assertThat(refused.status()).isEqualTo(429);
    assertThat(admin.get(path).body().get("commands")).hasSize(5);
  }

  @Test
  void resultsAreAudited() throws Exception {
    String[] created = newDevice("smart_plug").split(" ");
    Device device = Device.connect(created[0], created[1]);
    String commandId = submit(technician, created[0], Map.of("name", "identify"));
    device.nextCommand();
    device.answer(commandId, "succeeded", "{}");
    awaitStatus(commandId, "succeeded");

    List<String> actions =
        admin.get("/api/v1/audit?limit=1000").body().get("entries").findValuesAsText("target");
    assertThat(actions).contains("command/" + commandId);
    JsonNode entries = admin.get("/api/v1/audit?actor=device:" + created[0]).body().get("entries");
    assertThat(entries.get(0).get("action").asText()).isEqualTo("command.result");
    device.client().disconnect();
  }
}
