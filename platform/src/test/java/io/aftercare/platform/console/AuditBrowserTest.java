package io.aftercare.platform.console;

import static io.aftercare.platform.console.ConsoleBrowser.test;
import static org.assertj.core.api.Assertions.assertThat;

import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.TestPlatform;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebElement;

/** The audit viewer in Chromium: supervisors filter it; lower roles have no way in. */
class AuditBrowserTest {

  private static TestPlatform platform;
  private static ApiClient admin;
  private static String supervisorToken;
  private static String technicianToken;

  @RegisterExtension
  final ConsoleBrowser browser =
      new ConsoleBrowser(() -> "http://127.0.0.1:" + platform.platform().httpPort());

  @BeforeAll
  static void start() {
    platform = TestPlatform.start();
    admin = platform.api();
    supervisorToken = admin.createStaff("au-super", "supervisor");
    technicianToken = admin.createStaff("au-tech", "technician");
    String otherToken = admin.createStaff("au-other", "technician");
    // Refusals are audited: two by au-tech, one by au-other.
    Map<String, Object> device = Map.of("id", "au-dev", "type", "camera");
    assertThat(admin.as(technicianToken).post("/api/v1/devices", device).status()).isEqualTo(403);
    assertThat(admin.as(technicianToken).post("/api/v1/devices", device).status()).isEqualTo(403);
    assertThat(admin.as(otherToken).post("/api/v1/devices", device).status()).isEqualTo(403);
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void supervisorFiltersTheLogByActorAndAction() {
    browser.signIn(supervisorToken);
    browser.element("nav-audit").click();
    browser.visible("audit-table");

    browser.type("audit-filter-actor", "au-tech");
    browser.type("audit-filter-action", "device.provision");
    browser.element("audit-apply").click();

    browser.until(
        d -> {
          List<WebElement> actors = d.findElements(test("audit-actor"));
          return actors.size() == 2
              && actors.stream().allMatch(cell -> cell.getText().equals("au-tech"));
        });
    assertThat(browser.driver().findElements(test("audit-action")))
        .extracting(WebElement::getText)
        .containsOnly("device.provision");
    assertThat(browser.element("audit-rows").getText()).contains("denied");

    browser.type("audit-filter-actor", "nobody-did-this");
    browser.element("audit-apply").click();
    browser.visible("empty");
  }

  @Test
  void aTechnicianHasNoAuditLinkAndThePageSaysWhy() {
    browser.signIn(technicianToken);
    assertThat(browser.driver().findElements(test("nav-audit"))).isEmpty();

    browser.open("/audit");

    browser.visible("audit-forbidden");
    assertThat(browser.driver().findElements(test("audit-table"))).isEmpty();
  }
}
