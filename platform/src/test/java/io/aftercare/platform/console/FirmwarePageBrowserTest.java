package io.aftercare.platform.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.aftercare.platform.testing.TestPlatform;
import io.aftercare.platform.testing.UpgradedFleets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The firmware page in a real Chromium: a model whose 1.1 doubles its overheating rate shows the
 * version as worse with the guard's fleet alarm on top; a model with the same rate shows same. A
 * supervisor rolls the worse version back from its alarm.
 */
class FirmwarePageBrowserTest {

  private static TestPlatform platform;
  private static String viewerToken;
  private static String supervisorToken;

  @RegisterExtension
  final ConsoleBrowser browser =
      new ConsoleBrowser(() -> "http://127.0.0.1:" + platform.platform().httpPort());

  @BeforeAll
  static void start() {
    platform = TestPlatform.start(Map.of("diagnostics.firmwareGuard.evaluateEvery", "300ms"));
    viewerToken = platform.api().createStaff("fw-viewer", "viewer");
    supervisorToken = platform.api().createStaff("fw-supervisor", "supervisor");
    UpgradedFleets.provisionTemplate(platform);
    UpgradedFleets.upgraded(platform, "FW-HOT", 60, 30, 60);
    UpgradedFleets.upgraded(platform, "FW-OK", 60, 30, 30);
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void showsTheWorseVersionItsAlarmAndTheUnchangedOne() {
    browser.signIn(viewerToken);
    browser.element("nav-firmware").click();
    // The guard's first round may come after the page's first load: show again until it is there.
    browser.until(
        d -> {
          List<WebElement> alarms = rows("firmware-alarm-table");
          if (!alarms.isEmpty()) {
            return true;
          }
          browser.element("firmware-show").click();
          return false;
        });

    String alarm = rows("firmware-alarm-table").get(0).getText();
    assertThat(alarm)
        .contains("FW-HOT", "1.1 (after 1.0)", "overheating")
        .contains("firmware_rollback offered (60 devices)");
    assertThat(browser.driver().findElements(ConsoleBrowser.test("firmware-rollback")))
        .as("a viewer may not roll back")
        .isEmpty();

    assertThat(versionRow("FW-HOT", "1.1").getText()).contains("worse", "vs 1.0");
    assertThat(versionRow("FW-OK", "1.1").getText()).contains("same").doesNotContain("worse");
    assertThat(versionRow("FW-OK", "1.0").getText()).contains("first version");
    assertThat(versionRow("FW-HOT", "1.1").findElements(By.cssSelector(".rate-bar-interval")))
        .hasSize(1);
  }

  @Test
  void aSupervisorRollsTheWorseVersionBackWithAReason() {
    browser.signIn(supervisorToken);
    browser.element("nav-firmware").click();
    WebElement rollBack =
        browser.until(
            d -> {
              List<WebElement> buttons = d.findElements(ConsoleBrowser.test("firmware-rollback"));
              if (!buttons.isEmpty()) {
                return buttons.get(0);
              }
              browser.element("firmware-show").click();
              return null;
            });
    assertThat(rollBack.getText()).isEqualTo("Roll back 60 devices");
    rollBack.click();
    browser.element("firmware-rollback-reason").sendKeys("overheating doubled on 1.1");
    browser.element("firmware-rollback-submit").click();

    // The fleet's devices are offline: each run is stored and sends nothing (precondition online).
    assertThat(browser.element("firmware-rollback-result").getText())
        .contains("firmware_rollback on FW-HOT 1.1: 60 started", "0 refused for want");
    assertThat(
            platform.count(
                "SELECT count(*) FROM audit_log WHERE action = 'firmware_regression.rollback'"
                    + " AND actor = 'fw-supervisor'"
                    + " AND detail->>'reason' = 'overheating doubled on 1.1'"))
        .isEqualTo(1);
  }

  private List<WebElement> rows(String table) {
    return browser
        .driver()
        .findElements(By.cssSelector("[data-test='" + table + "'] tr[data-test='row']"));
  }

  private WebElement versionRow(String model, String firmware) {
    return browser.until(
        d ->
            d
                .findElements(
                    By.cssSelector(
                        "[data-model='" + model + "'] [data-test='firmware-rate-table'] tr"))
                .stream()
                .filter(row -> row.getText().startsWith(firmware + " "))
                .findFirst()
                .orElse(null));
  }
}
