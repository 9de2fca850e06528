package io.aftercare.platform.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.TestPlatform;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.support.ui.Select;

/**
 * Staff start a playbook from the device page and watch it, in Chromium, with owner consent
 * required (docs/diagnostics.md, "Playbooks", "Started by staff"): a read-only playbook runs and
 * its steps show as the device answers; one whose first step needs the owner's session is refused
 * with a message that says so.
 */
class PlaybookStartBrowserTest {

  private static final String CAMERA = "pbs-cam";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static TestPlatform platform;
  private static ApiClient admin;
  private static String technicianToken;
  private static MqttClient camera;

  @RegisterExtension
  final ConsoleBrowser browser =
      new ConsoleBrowser(() -> "http://127.0.0.1:" + platform.platform().httpPort());

  @BeforeAll
  static void start() throws Exception {
    Path rulesDir = Files.createTempDirectory("aftercare-playbook-start");
    Files.writeString(
        rulesDir.resolve("check-in.yaml"),
        """
        playbooks:
          - id: check_in
            description: Read-only look at the device
            steps:
              - {name: self_test, command: run_self_test}
              - {name: blink, command: identify}
        """);
    platform =
        TestPlatform.start(
            Map.of(
                "diagnostics.rulesDir",
                rulesDir.toString(),
                "commands.requireOwnerConsent",
                "true"));
    admin = platform.api();
    technicianToken = admin.createStaff("pbs-tech", "technician");
    camera = answeringEverything(CAMERA, admin.provisionDevice(CAMERA, "camera"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (camera != null) {
      camera.disconnect();
    }
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void aTechnicianStartsAPlaybookAndWatchesItsStepsMoveOn() {
    browser.signIn(technicianToken);
    browser.open("/devices/" + CAMERA);

    new Select(browser.visible("playbook-choice")).selectByValue("check_in");
    browser.element("playbook-start").click();

    long runId = onlyRun().get("id").asLong();
    browser.hasText("playbook-started", "Started check_in #" + runId + ".");
    browser.until(
        d ->
            "succeeded"
                .equals(browser.element("playbook-run-" + runId).getAttribute("data-state")));
    browser.hasText("playbook-run-" + runId + "-self_test", "self_test: sent → succeeded");
    browser.hasText("playbook-run-" + runId + "-blink", "blink: not reached");
  }

  @Test
  void aPlaybookNeedingTheOwnersConsentIsRefusedWithAClearMessage() {
    long before = platform.count("SELECT count(*) FROM playbook_runs");
    browser.signIn(technicianToken);
    browser.open("/devices/" + CAMERA);

    // wifi_recovery's first step resets the network: no owner session covers that class.
    new Select(browser.visible("playbook-choice")).selectByValue("wifi_recovery");
    browser.element("playbook-start").click();

    assertThat(browser.visible("playbook-consent-required").getText())
        .startsWith("The owner's consent is needed.")
        .contains("network");
    assertThat(platform.count("SELECT count(*) FROM playbook_runs")).isEqualTo(before);
  }

  /** The device's one run, once the console has started it. */
  private JsonNode onlyRun() {
    String path = "/api/v1/devices/" + CAMERA + "/playbook-runs";
    browser.until(d -> admin.get(path).body().get("runs").size() == 1);
    return admin.get(path).body().get("runs").get(0);
  }

  /** A camera that answers every command succeeded. */
  private static MqttClient answeringEverything(String id, String token) throws Exception {
    MqttClient device = PahoDevices.v3(platform.mqttUri(), id, token);
    device.subscribe(
        "devices/" + id + "/commands",
        1,
        (topic, message) -> {
          String answer =
              "{\"commandId\":\""
                  + JSON.readTree(message.getPayload()).get("commandId").asText()
                  + "\",\"status\":\"succeeded\"}";
          // Answer from another thread: Paho forbids publishing from its callback thread.
          new Thread(
                  () -> {
                    try {
                      device.publish(
                          "devices/" + id + "/commands/result",
                          answer.getBytes(StandardCharsets.UTF_8),
                          1,
                          false);
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                  })
              .start();
        });
    return device;
  }
}
