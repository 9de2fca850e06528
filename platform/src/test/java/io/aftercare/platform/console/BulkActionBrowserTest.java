package io.aftercare.platform.console;

import static io.aftercare.platform.console.ConsoleBrowser.test;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.TestPlatform;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * Bulk actions in Chromium: a command to a filtered set of devices (two real MQTT devices that
 * answer, one offline), previewed, confirmed and followed device by device; a filter whose match
 * changed after the preview sends nothing and asks for a new preview.
 */
class BulkActionBrowserTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static TestPlatform platform;
  private static ApiClient admin;
  private static String technicianToken;
  private static String viewerToken;
  private static final List<MqttClient> connected = new ArrayList<>();

  @RegisterExtension
  final ConsoleBrowser browser =
      new ConsoleBrowser(() -> "http://127.0.0.1:" + platform.platform().httpPort());

  @BeforeAll
  static void start() throws Exception {
    platform = TestPlatform.start();
    admin = platform.api();
    technicianToken = admin.createStaff("bk-tech", "technician");
    viewerToken = admin.createStaff("bk-viewer", "viewer");
    answering("bk-plug-1", plug("bk-plug-1", "4.1.0"));
    answering("bk-plug-2", plug("bk-plug-2", "4.1.0"));
    plug("bk-plug-3", "4.1.0");
    // Same firmware, other type; same type, other firmware: neither is in the set.
    provision("bk-cam-1", "camera", "4.1.0");
    plug("bk-plug-9", "4.2.0");
  }

  @AfterAll
  static void stop() throws Exception {
    for (MqttClient client : connected) {
      client.disconnect();
      client.close();
    }
    if (platform != null) {
      platform.close();
    }
  }

  private static String provision(String id, String type, String firmware) {
    ApiClient.Response created =
        admin.post("/api/v1/devices", Map.of("id", id, "type", type, "firmware", firmware));
    assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
    return created.body().get("token").asText();
  }

  private static String plug(String id, String firmware) {
    return provision(id, "smart_plug", firmware);
  }

  /** Connects the device over MQTT; it accepts and then completes every command it receives. */
  private static void answering(String id, String token) throws Exception {
    MqttClient client = PahoDevices.v3(platform.mqttUri(), id, token);
    client.subscribe(
        "devices/" + id + "/commands",
        1,
        (topic, message) -> {
          String commandId = JSON.readTree(message.getPayload()).get("commandId").asText();
          // Answered from another thread: Paho does not publish from its callback thread.
          new Thread(
                  () -> {
                    publish(client, id, commandId, "accepted");
                    publish(client, id, commandId, "succeeded");
                  })
              .start();
        });
    connected.add(client);
  }

  private static void publish(MqttClient client, String id, String commandId, String status) {
    String result =
        "{\"commandId\":\"" + commandId + "\",\"status\":\"" + status + "\",\"output\":{}}";
    try {
      client.publish(
          "devices/" + id + "/commands/result", result.getBytes(StandardCharsets.UTF_8), 1, false);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Device id -> status of the results table, read in one script (the table re-renders live). */
  @SuppressWarnings("unchecked")
  private Map<String, String> resultsByDevice() {
    return (Map<String, String>)
        browser.script(
            "const rows = {};"
                + " document.querySelectorAll(\"[data-test='bulk-result']\").forEach(row =>"
                + " rows[row.dataset.device] ="
                + " row.querySelector(\"[data-test='bulk-result-status']\").textContent);"
                + " return rows;");
  }

  private void filterPlugs(String firmware) {
    browser.type("bulk-filter-type", "smart_plug");
    browser.type("bulk-filter-firmware", firmware);
  }

  @Test
  void identifyOnEveryPlugOfOneFirmwareReportsEachDevice() {
    browser.signIn(technicianToken);
    browser.element("nav-bulk").click();
    new Select(browser.visible("bulk-command")).selectByValue("identify");
    filterPlugs("4.1.0");
    browser.element("bulk-preview-button").click();

    browser.hasText("bulk-count", "3 devices match the filter.");
    assertThat(browser.element("bulk-sample").getText())
        .contains("bk-plug-1", "bk-plug-2", "bk-plug-3")
        .doesNotContain("bk-plug-9")
        .doesNotContain("bk-cam-1");
    browser.hasText("bulk-question", "Send identify to 3 devices?");
    browser.element("bulk-send").click();

    // The connected plugs answer; the offline one keeps its command queued until it connects.
    browser.until(
        d ->
            Map.of("bk-plug-1", "succeeded", "bk-plug-2", "succeeded", "bk-plug-3", "queued")
                .equals(resultsByDevice()));
    assertThat(browser.element("bulk-batch-status").getText()).startsWith("done: 3 of 3 sent");
    JsonNode batch = admin.get("/api/v1/bulk-commands").body().get("bulkCommands").get(0);
    assertThat(batch.get("command").asText()).isEqualTo("identify");
    assertThat(batch.get("createdBy").asText()).isEqualTo("bk-tech");

    // Later, the batch is listed and its results open again.
    browser.open("/devices");
    browser.element("nav-bulk").click();
    browser.element("bulk-show-" + batch.get("id").asText()).click();
    browser.until(d -> resultsByDevice().size() == 3);
    assertThat(resultsByDevice()).containsEntry("bk-plug-1", "succeeded");
  }

  @Test
  void aMatchThatChangedAfterThePreviewSendsNothing() {
    plug("bk-plug-20", "4.3.0");
    browser.signIn(technicianToken);
    browser.open("/bulk");
    new Select(browser.visible("bulk-command")).selectByValue("reboot");
    filterPlugs("4.3.0");
    browser.element("bulk-preview-button").click();
    browser.hasText("bulk-question", "Send reboot to 1 device?");

    plug("bk-plug-21", "4.3.0");
    browser.element("bulk-send").click();

    assertThat(browser.visible("bulk-changed").getText()).contains("Preview again");
    assertThat(browser.driver().findElements(test("bulk-result"))).isEmpty();
    assertThat(platform.count("SELECT count(*) FROM commands WHERE device_id LIKE 'bk-plug-2_'"))
        .isZero();
    browser.element("bulk-preview-button").click();
    browser.hasText("bulk-question", "Send reboot to 2 devices?");
  }

  @Test
  void aViewerHasNoBulkActions() {
    browser.signIn(viewerToken);
    assertThat(browser.driver().findElements(test("nav-bulk"))).isEmpty();

    browser.open("/bulk");

    browser.visible("bulk-forbidden");
    assertThat(browser.driver().findElements(test("bulk-send"))).isEmpty();
    List<WebElement> forms = browser.driver().findElements(test("bulk-form"));
    assertThat(forms).isEmpty();
  }
}
