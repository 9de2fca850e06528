package io.aftercare.platform.console;

import static io.aftercare.platform.console.ConsoleBrowser.test;
import static org.assertj.core.api.Assertions.assertThat;

import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.TestPlatform;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The KPI page in Chromium: uPlot draws each chart (a canvas with the expected series), the
 * breakdown follows the chosen dimension, the fleet health trend switches between model and
 * firmware, and the fleet health table lists model and firmware.
 */
class KpiPageBrowserTest {

  private static TestPlatform platform;
  private static String viewerToken;

  @RegisterExtension
  final ConsoleBrowser browser =
      new ConsoleBrowser(() -> "http://127.0.0.1:" + platform.platform().httpPort());

  @BeforeAll
  static void start() {
    platform = TestPlatform.start();
    ApiClient admin = platform.api();
    viewerToken = admin.createStaff("kp-viewer", "viewer");
    admin.provisionFridge("kp-fridge-1", "KP-CUST-1", "standard");
    admin.provisionFridge("kp-fridge-2", "KP-CUST-2", "premium");
    // A second model and firmware, so the fleet health trend draws one line for each.
    admin.post(
        "/api/v1/devices",
        Map.of("id", "kp-cam-1", "type", "camera", "model", "C-9", "firmware", "2.4.0"));
    for (String fridge : List.of("kp-fridge-1", "kp-fridge-2")) {
      admin.openCase(
          Map.of(
              "channel", "phone",
              "symptom", "the fridge is warm",
              "deviceId", fridge,
              "serviceType", "repair"));
    }
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  /** The chart's figure once uPlot has drawn into it. */
  private WebElement drawn(String chart) {
    browser.until(
        d -> !d.findElements(By.cssSelector("[data-test='" + chart + "'] canvas")).isEmpty());
    return browser.element(chart);
  }

  @Test
  void drawsTheKpiChartsWithTheirSeriesAndTheBreakdowns() {
    browser.signIn(viewerToken);
    browser.element("nav-kpis").click();

    assertThat(drawn("kpi-chart-cases").getAttribute("data-series")).isEqualTo("4");
    assertThat(drawn("kpi-chart-timeliness").getAttribute("data-series")).isEqualTo("3");
    assertThat(drawn("kpi-chart-shares").getAttribute("data-series")).isEqualTo("4");
    assertThat(drawn("kpi-chart-by-model").getAttribute("data-series")).isEqualTo("1");
    assertThat(drawn("kpi-chart-by-firmware").getAttribute("data-series")).isEqualTo("1");
    // uPlot's legend names each series.
    assertThat(browser.element("kpi-chart-by-model").getText()).contains("FR-200");

    WebElement breakdown = browser.visible("kpi-breakdown-table");
    assertThat(breakdown.getText()).contains("All cases").contains("fridge");
    WebElement health = browser.visible("fleet-health-table");
    assertThat(health.findElements(test("row")))
        .extracting(WebElement::getText)
        .anyMatch(row -> row.startsWith("FR-200 2.1.0 2"));

    new Select(browser.visible("kpi-group-by")).selectByValue("firmware");
    new Select(browser.visible("kpi-range")).selectByValue("7");
    browser.element("kpi-apply").click();
    browser.until(
        d -> d.findElement(test("kpi-breakdown")).getText().contains("Breakdown by firmware"));
    assertThat(browser.visible("kpi-breakdown-table").getText()).contains("2.1.0");
    assertThat(drawn("kpi-chart-cases").findElements(By.tagName("canvas"))).hasSize(1);
  }

  @Test
  void drawsTheFleetHealthTrendByModelAndThenByFirmware() {
    browser.signIn(viewerToken);
    browser.element("nav-kpis").click();

    WebElement byModel = drawn("fleet-trend-chart");
    assertThat(byModel.getAttribute("data-series")).isEqualTo("2");
    assertThat(byModel.getText())
        .contains("alarms per 100 devices by model")
        .contains("FR-200")
        .contains("C-9");

    new Select(browser.visible("fleet-trend-group-by")).selectByValue("firmware");
    browser.until(
        d -> {
          WebElement chart = d.findElement(test("fleet-trend-chart"));
          return chart.getText().contains("by firmware")
              && !chart.findElements(By.tagName("canvas")).isEmpty();
        });
    WebElement byFirmware = browser.element("fleet-trend-chart");
    assertThat(byFirmware.getAttribute("data-series")).isEqualTo("2");
    assertThat(byFirmware.getText()).contains("2.1.0").contains("2.4.0");
    assertThat(byFirmware.findElements(By.tagName("canvas"))).hasSize(1);
  }

  @Test
  void aCustomRangeIsAskedForDayByDayAndAMissingDayIsNamed() {
    browser.signIn(viewerToken);
    browser.open("/kpis");
    drawn("kpi-chart-cases");
    LocalDate today = LocalDate.now();

    new Select(browser.visible("kpi-range")).selectByValue("custom");
    // Date inputs take keys in the browser's locale format; the value is set as the page reads it.
    browser.script(
        "arguments[0].value = arguments[1]",
        browser.visible("kpi-from"),
        today.minusDays(2).toString());
    browser.element("kpi-apply").click();
    assertThat(browser.visible("kpi-error").getText()).contains("Pick the first and the last day");

    browser.script(
        "arguments[0].value = arguments[1]", browser.visible("kpi-to"), today.toString());
    browser.element("kpi-apply").click();
    browser.until(
        d ->
            d.findElement(test("kpi-charts"))
                .getText()
                .contains("Per day, " + today.minusDays(2) + " to " + today.plusDays(1)));
    assertThat(drawn("kpi-chart-cases").getAttribute("data-series")).isEqualTo("4");
  }
}
