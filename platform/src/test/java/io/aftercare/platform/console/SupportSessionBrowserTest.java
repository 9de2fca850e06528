package io.aftercare.platform.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.TestPlatform;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.support.ui.Select;

/**
 * The command panel in Chromium with owner consent required: the lock's active support session is
 * listed, each command form says whether it needs the owner's consent and whether the session
 * covers it, and a command it does not cover is refused with the server's reason.
 */
class SupportSessionBrowserTest {

  private static final String LOCK = "ssb-lock";
  private static TestPlatform platform;
  private static String technicianToken;

  @RegisterExtension
  final ConsoleBrowser browser =
      new ConsoleBrowser(() -> "http://127.0.0.1:" + platform.platform().httpPort());

  @BeforeAll
  static void start() {
    platform = TestPlatform.start(Map.of("commands.requireOwnerConsent", "true"));
    ApiClient admin = platform.api();
    technicianToken = admin.createStaff("ssb-tech", "technician");
    admin.provisionDevice(
        Map.of(
            "id", LOCK,
            "type", "door_lock",
            "homeId", "home-ssb",
            "customerRef", "C-SSB",
            "customerTier", "standard",
            "soldOn", "2025-06-01"));
    ApiClient.Response opened =
        admin.post(
            "/api/v1/tickets",
            Map.of(
                "channel", "app",
                "symptom", "the lock stays open",
                "deviceId", LOCK,
                "serviceType", "repair"));
    assertThat(opened.status()).isEqualTo(201);
    ApiClient.Response link =
        admin.post(
            "/api/v1/tickets/" + opened.body().get("id").asLong() + "/customer-links", Map.of());
    ApiClient owner = admin.as(link.body().get("token").asText());
    assertThat(
            owner
                .post(
                    "/api/v1/customer/case/support-sessions",
                    Map.of("commandClasses", List.of("lock")))
                .status())
        .isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void theCommandPanelShowsTheSessionAndWhichCommandsItCovers() {
    browser.signIn(technicianToken);
    browser.open("/devices/" + LOCK);

    assertThat(browser.visible("support-session").getText()).contains("lock until");
    assertThat(browser.element("consent-identify").getText()).isEmpty();
    browser.until(d -> browser.element("consent-reboot").getText().contains("restart: no owner"));

    new Select(browser.element("param-set_config-key")).selectByValue("auto_lock_s");
    browser.until(d -> browser.element("consent-set_config").getText().contains("consented lock"));
    new Select(browser.element("param-set_config-key")).selectByValue("wifi_ssid");
    browser.until(
        d -> browser.element("consent-set_config").getText().contains("network: no owner"));

    browser.element("command-send-reboot").click();
    browser.until(d -> browser.element("command-result").getText().contains("owner's consent"));
  }
}
