package io.aftercare.platform.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.TestPlatform;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The command panel in Chromium with {@code commands.secondApprover: firmware_rollback}: the
 * submitter sees the rollback awaiting approval without buttons; another supervisor approves it.
 */
class CommandApprovalBrowserTest {

  private static final String DEVICE = "cab-thermo";
  private static TestPlatform platform;
  private static String submitterToken;
  private static String approverToken;
  private static String rollbackId;

  @RegisterExtension
  final ConsoleBrowser browser =
      new ConsoleBrowser(() -> "http://127.0.0.1:" + platform.platform().httpPort());

  @BeforeAll
  static void start() {
    platform = TestPlatform.start(Map.of("commands.secondApprover", "firmware_rollback"));
    ApiClient admin = platform.api();
    submitterToken = admin.createStaff("cab-sup-1", "supervisor");
    approverToken = admin.createStaff("cab-sup-2", "supervisor");
    admin.provisionDevice(DEVICE, "thermostat");
    ApiClient.Response submitted =
        admin
            .as(submitterToken)
            .post(
                "/api/v1/devices/" + DEVICE + "/commands",
                Map.of("name", "firmware_rollback", "params", Map.of("version", "1.0.0")));
    assertThat(submitted.status()).isEqualTo(202);
    rollbackId = submitted.body().get("commandId").asText();
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  private WebElement row(String status) {
    By selector =
        By.cssSelector(
            "[data-test='command-row'][data-command-id='"
                + rollbackId
                + "'][data-status='"
                + status
                + "']");
    return browser.until(d -> d.findElements(selector).stream().findFirst().orElse(null));
  }

  @Test
  void theSubmitterSeesItWaitAndAnotherSupervisorApprovesIt() {
    browser.signIn(submitterToken);
    browser.open("/devices/" + DEVICE);
    WebElement waiting = row("awaiting_approval");
    assertThat(waiting.findElements(By.cssSelector("[data-test='command-approve']"))).isEmpty();
    assertThat(waiting.getText()).contains("until");
    browser.signOut();

    browser.signIn(approverToken);
    browser.open("/devices/" + DEVICE);
    row("awaiting_approval").findElement(By.cssSelector("[data-test='command-approve']")).click();

    row("queued");
    assertThat(
            platform.count(
                "SELECT count(*) FROM commands WHERE id = ? AND decided_by = 'cab-sup-2'",
                rollbackId))
        .isEqualTo(1);
  }
}
