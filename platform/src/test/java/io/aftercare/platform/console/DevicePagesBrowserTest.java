package io.aftercare.platform.console;

import static io.aftercare.platform.console.ConsoleBrowser.test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.TestPlatform;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The console in Chromium against the real platform and a real MQTT fridge that answers its
 * commands: sign-in, the fleet filters, the device page's chart with the alarm marked, a command
 * followed live to {@code succeeded}, diagnostics, and what a viewer may not do.
 */
class DevicePagesBrowserTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ALARMING = "fr-warm";
  private static TestPlatform platform;
  private static ApiClient admin;
  private static String technicianToken;
  private static String viewerToken;
  private static MqttClient fridge;

  @RegisterExtension
  final ConsoleBrowser browser =
      new ConsoleBrowser(() -> "http://127.0.0.1:" + platform.platform().httpPort());

  @BeforeAll
  static void start() throws Exception {
    platform = TestPlatform.start();
    admin = platform.api();
    technicianToken = admin.createStaff("tess", "technician");
    viewerToken = admin.createStaff("vic", "viewer");
    String token = provision(ALARMING, "fridge", "home-7", "cust-7");
    provision("fr-quiet", "fridge", "home-8", "cust-8");
    provision("th-1", "thermostat", "home-7", "cust-7");
    fridge = PahoDevices.v3(platform.mqttUri(), ALARMING, token);
    answerEveryCommand(fridge);
    raiseFridgeWarmAlarm(fridge);
  }

  @AfterAll
  static void stop() throws MqttException {
    if (fridge != null) {
      fridge.disconnect();
      fridge.close();
    }
    if (platform != null) {
      platform.close();
    }
  }

  private static String provision(String id, String type, String home, String customer) {
    ApiClient.Response created =
        admin.post(
            "/api/v1/devices",
            Map.of(
                "id", id, "type", type, "model", "M-1", "homeId", home, "customerRef", customer));
    assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
    return created.body().get("token").asText();
  }

  /** A working device: every command is accepted, then succeeds. */
  private static void answerEveryCommand(MqttClient device) throws MqttException {
    device.subscribe(
        "devices/" + device.getClientId() + "/commands",
        1,
        (topic, message) -> {
          String commandId = JSON.readTree(message.getPayload()).get("commandId").asText();
          // Paho forbids publishing from its callback thread.
          new Thread(
                  () -> {
                    publish(device, "commands/result", result(commandId, "accepted"));
                    publish(device, "commands/result", result(commandId, "succeeded"));
                  })
              .start();
        });
  }

  private static String result(String commandId, String status) {
    return "{\"commandId\":\""
        + commandId
        + "\",\"status\":\""
        + status
        + "\",\"output\":{\"components\":{\"sensors\":\"ok\"}}}";
  }

  private static void publish(MqttClient device, String suffix, String json) {
    try {
      device.publish(
          "devices/" + device.getClientId() + "/" + suffix,
          json.getBytes(StandardCharsets.UTF_8),
          1,
          false);
    } catch (MqttException e) {
      throw new IllegalStateException(e);
    }
  }

  /** fridge_warm: 9.5 °C with the door closed for 45 minutes, beyond the rule's 30. */
  private static void raiseFridgeWarmAlarm(MqttClient device) {
    Instant t0 = Instant.now().minus(Duration.ofMinutes(45));
    for (int minute = 0; minute <= 45; minute += 5) {
      publish(
          device,
          "telemetry",
          "{\"ts\":\""
              + t0.plusSeconds(minute * 60L)
              + "\",\"metrics\":{\"fridge_temp_c\":9.5,\"door_open\":false}}");
    }
    publish(
        device,
        "events",
        "{\"ts\":\""
            + t0.plusSeconds(600)
            + "\",\"type\":\"door\",\"code\":\"D_OPEN\",\"data\":{\"seconds\":3}}");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                !admin
                    .get("/api/v1/alarms?status=open&deviceId=" + ALARMING)
                    .body()
                    .get("alarms")
                    .isEmpty());
  }

  @Test
  void aBadTokenShowsTheProblemAndAGoodOneSignsIn() {
    browser.open("/devices");
    browser.type("signin-token", "not-a-token");
    browser.element("signin-submit").click();
    WebElement error = browser.visible("error");
    assertThat(error.getText()).isNotBlank();
    assertThat(error.getAttribute("role")).isEqualTo("alert");
    assertThat(browser.element("signin-token").getAttribute("type")).isEqualTo("password");

    browser.type("signin-token", technicianToken);
    browser.element("signin-submit").click();
    browser.hasText("who-name", "tess");
    browser.hasText("who-role", "technician");
    browser.visible("fleet-table");
  }

  @Test
  void theFleetFiltersFindTheAlarmingFridgeAndItsChartMarksTheAlarm() {
    browser.signIn(technicianToken);
    browser.open("/devices");
    browser.until(d -> rows().size() == 3);

    browser.type("filter-type", "fridge");
    new Select(browser.element("filter-hasOpenAlarm")).selectByValue("true");
    browser.element("fleet-apply").click();

    browser.until(ExpectedConditions.urlContains("hasOpenAlarm=true"));
    assertThat(browser.driver().getCurrentUrl()).contains("type=fridge");
    browser.until(d -> rows().size() == 1);
    WebElement row = rows().get(0);
    assertThat(row.getAttribute("data-id")).isEqualTo(ALARMING);
    assertThat(Integer.parseInt(row.findElement(test("open-alarms")).getText())).isPositive();
    assertThat(Integer.parseInt(row.findElement(test("health")).getText())).isLessThan(100);

    row.findElement(test("device-link")).click();
    browser.hasText("device-title", ALARMING);
    WebElement chart = browser.element("chart-fridge_temp_c");
    browser.until(d -> Integer.parseInt(chart.getAttribute("data-points")) >= 5);
    assertThat(Integer.parseInt(chart.getAttribute("data-alarms"))).isPositive();
    assertThat(chart.findElements(By.tagName("canvas"))).isNotEmpty();
    assertThat(browser.element("health-reasons").getText()).contains("fridge_warm");
    browser.until(d -> !d.findElements(test("ticket-link")).isEmpty());
    WebElement timeline = browser.element("connectivity-timeline");
    assertThat(timeline.findElements(By.cssSelector("[data-state='online']"))).isNotEmpty();
    assertThat(browser.element("audit-section").getText()).contains("open to supervisors");

    // A point the fridge sends now arrives over the live stream, without a reload.
    int before = Integer.parseInt(chart.getAttribute("data-points"));
    publish(
        fridge,
        "telemetry",
        "{\"ts\":\"" + Instant.now() + "\",\"metrics\":{\"fridge_temp_c\":9.75}}");
    browser.until(d -> Integer.parseInt(chart.getAttribute("data-points")) == before + 1);
    assertThat(browser.element("latest-fridge_temp_c").getText()).startsWith("9.75");

    // The bucketed range keeps the alarm on the chart.
    browser.element("range-24h").click();
    browser.until(d -> "24h".equals(browser.element("charts").getAttribute("data-range")));
    assertThat(Integer.parseInt(browser.element("chart-fridge_temp_c").getAttribute("data-alarms")))
        .isPositive();
  }

  @Test
  void theFleetPagesByCursorBothWaysAndTheViewKeepsItsFilters() {
    browser.signIn(technicianToken);
    browser.open("/devices?limit=2&sort=type");
    browser.until(d -> rows().size() == 2);
    browser.hasText("fleet-page", "Page 1");
    assertThat(browser.element("fleet-prev").isEnabled()).isFalse();
    assertThat(ids()).containsExactly("fr-quiet", ALARMING);

    browser.element("fleet-next").click();
    browser.hasText("fleet-page", "Page 2");
    assertThat(ids()).containsExactly("th-1");
    assertThat(browser.element("fleet-next").isEnabled()).isFalse();

    browser.element("fleet-prev").click();
    browser.hasText("fleet-page", "Page 1");
    assertThat(ids()).containsExactly("fr-quiet", ALARMING);

    // A bookmark: reloading the URL gives the same filtered, sorted view.
    browser.driver().navigate().refresh();
    browser.until(d -> rows().size() == 2);
    assertThat(new Select(browser.element("filter-sort")).getFirstSelectedOption().getText())
        .isEqualTo("Type");
    assertThat(new Select(browser.element("filter-limit")).getFirstSelectedOption().getText())
        .isEqualTo("2");
  }

  @Test
  void identifyReachesSucceededLiveAndDiagnosticsReport() {
    browser.signIn(technicianToken);
    browser.open("/devices/" + ALARMING);
    browser.type("param-identify-seconds", "5");
    browser.element("command-send-identify").click();

    browser.until(
        d ->
            !d.findElements(
                    By.cssSelector(
                        "[data-test='command-row'][data-name='identify'][data-status='succeeded']"))
                .isEmpty());

    assertThat(
            browser
                .driver()
                .findElement(By.cssSelector("[data-test='command-row'][data-name='identify']"))
                .getText())
        .contains("{\"seconds\":5}");

    browser.element("run-diagnostics").click();
    browser.until(
        d ->
            !d.findElements(By.cssSelector("[data-test='diagnostics-status'] [data-state]"))
                .isEmpty());
    assertThat(
            browser
                .element("diagnostics-status")
                .findElement(By.cssSelector("[data-state]"))
                .getAttribute("data-state"))
        .isEqualTo("completed");
    assertThat(browser.element("diagnostics-report").getText()).contains("Report");
    assertThat(browser.element("diagnostics-findings").getText()).contains("fridge_warm");
  }

  @Test
  void aViewerSeesNoCommandButtonsAndAForgedCallIsRefused() {
    browser.signIn(viewerToken);
    browser.open("/devices/" + ALARMING);
    browser.visible("commands-withheld");
    assertThat(browser.driver().findElements(By.cssSelector("[data-test^='command-send-']")))
        .isEmpty();
    assertThat(browser.driver().findElements(test("run-diagnostics"))).isEmpty();
    browser.visible("diagnostics-withheld");

    String body = "{\"name\":\"identify\",\"params\":{}}";
    Object withoutCsrf = forgedPost("/api/v1/devices/" + ALARMING + "/commands", body, false);
    Object withCsrf = forgedPost("/api/v1/devices/" + ALARMING + "/commands", body, true);
    assertThat(withoutCsrf).isEqualTo(403L);
    assertThat(withCsrf).isEqualTo(403L);
    assertThat(
            admin
                .get("/api/v1/devices/" + ALARMING + "/commands?name=identify")
                .body()
                .get("commands")
                .findValuesAsText("requestedBy"))
        .doesNotContain("vic");
  }

  @Test
  void aSupervisorReadsTheDevicesAuditTrail() {
    browser.signIn(platform.platform().adminToken());
    browser.open("/devices/" + ALARMING);
    browser.until(
        d ->
            d.findElements(By.cssSelector("[data-test='audit-table'] [data-test='row']")).stream()
                .anyMatch(row -> row.getText().contains("device.provision")));
    // Every command the admin may send has its button, firmware_rollback included.
    browser.element("command-send-firmware_rollback");
    assertThat(browser.driver().findElements(test("commands-withheld"))).isEmpty();
  }

  @Test
  void signingOutEndsTheSession() {
    browser.signIn(technicianToken);
    browser.signOut();
    Object status =
        browser.asyncScript(
            "const done = arguments[arguments.length - 1];"
                + "fetch('/api/v1/session').then(r => done(r.status));");
    assertThat(status).isEqualTo(401L);
    browser.open("/devices");
    browser.visible("signin-token");
  }

  /** A state-changing call from the page with the session cookie, with or without its token. */
  private Object forgedPost(String path, String body, boolean withCsrf) {
    return browser.asyncScript(
        "const [path, body, withCsrf, done] = arguments;"
            + "fetch('/api/v1/session').then(r => r.json()).then(s => fetch(path, {"
            + " method: 'POST', body,"
            + " headers: Object.assign({'Content-Type': 'application/json'},"
            + "   withCsrf ? {'X-CSRF-Token': s.csrfToken} : {})}))"
            + ".then(r => done(r.status), e => done(String(e)));",
        path,
        body,
        withCsrf);
  }

  private List<String> ids() {
    return rows().stream().map(row -> row.getAttribute("data-id")).toList();
  }

  private List<WebElement> rows() {
    return browser
        .driver()
        .findElements(By.cssSelector("[data-test='fleet-table'] [data-test='row']"));
  }
}
