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
 * version as worse with the guard's fleet alarm on top; a model with the same rate shows same.
 */
class FirmwarePageBrowserTest {

  private static TestPlatform platform;
  private static String viewerToken;

  @RegisterExtension
  final ConsoleBrowser browser =
      new ConsoleBrowser(() -> "http://127.0.0.1:" + platform.platform().httpPort());

  @BeforeAll
  static void start() {
    platform = TestPlatform.start(Map.of("diagnostics.firmwareGuard.evaluateEvery", "300ms"));
    viewerToken = platform.api().createStaff("fw-viewer", "viewer");
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
    assertThat(alarm).contains("FW-HOT", "1.1 (after 1.0)", "overheating");

    assertThat(versionRow("FW-HOT", "1.1").getText()).contains("worse", "vs 1.0");
    assertThat(versionRow("FW-OK", "1.1").getText()).contains("same").doesNotContain("worse");
    assertThat(versionRow("FW-OK", "1.0").getText()).contains("first version");
    assertThat(versionRow("FW-HOT", "1.1").findElements(By.cssSelector(".rate-bar-interval")))
        .hasSize(1);
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
