package io.aftercare.platform.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.TestPlatform;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/** The fleet's saved views in Chromium: save the filters under a name, open them, delete them. */
class SavedViewsBrowserTest {

  private static TestPlatform platform;
  private static String technicianToken;

  @RegisterExtension
  final ConsoleBrowser browser =
      new ConsoleBrowser(() -> "http://127.0.0.1:" + platform.platform().httpPort());

  @BeforeAll
  static void start() {
    platform = TestPlatform.start();
    ApiClient admin = platform.api();
    technicianToken = admin.createStaff("tess", "technician");
    admin.provisionDevice("sv-cam-1", "camera");
    admin.provisionDevice("sv-cam-2", "camera");
    admin.provisionDevice("sv-plug-1", "smart_plug");
  }

  @AfterAll
  static void stop() {
    platform.close();
  }

  @Test
  void aSavedViewOpensTheSameFiltersAndADuplicateNameShowsTheProblem() {
    browser.signIn(technicianToken);
    browser.open("/devices?type=camera&sort=type");
    browser.until(d -> rows().size() == 2);

    browser.type("view-name", "cameras");
    browser.element("view-save").click();
    browser.until(
        ExpectedConditions.textToBePresentInElementLocated(
            ConsoleBrowser.test("views-error"), "View saved."));

    browser.type("view-name", "cameras");
    browser.element("view-save").click();
    WebElement conflict = browser.visible("error");
    assertThat(conflict.getAttribute("data-status")).isEqualTo("409");
    assertThat(conflict.getText()).isNotBlank();

    browser.element("fleet-reset").click();
    browser.until(d -> rows().size() == 3);
    chooseView("cameras");
    browser.element("view-open").click();
    browser.until(ExpectedConditions.urlContains("type=camera"));
    assertThat(browser.driver().getCurrentUrl()).contains("sort=type");
    browser.until(d -> rows().size() == 2);

    chooseView("cameras");
    browser.element("view-delete").click();
    browser.until(
        d ->
            new Select(browser.element("view-select"))
                .getOptions().stream().noneMatch(option -> option.getText().equals("cameras")));
  }

  /** Picks the view once the list (loaded after the page) offers it. */
  private void chooseView(String name) {
    browser.until(
        d -> {
          Select views = new Select(browser.element("view-select"));
          if (views.getOptions().stream().noneMatch(option -> option.getText().equals(name))) {
            return false;
          }
          views.selectByVisibleText(name);
          return true;
        });
  }

  private List<WebElement> rows() {
    return browser
        .driver()
        .findElements(By.cssSelector("[data-test='fleet-table'] [data-test='row']"));
  }
}
