package io.aftercare.platform.console;

import static io.aftercare.platform.console.ConsoleBrowser.test;
import static org.assertj.core.api.Assertions.assertThat;

import io.aftercare.bridge.testing.MutableClock;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.TestPlatform;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The ticket queue (by SLA urgency, with countdowns) and the ticket page (clocks, timeline, the
 * moves the role may make, the API's refusal shown) in Chromium against the whole platform.
 */
class TicketPagesBrowserTest {

  private static final Duration LATE_BY = Duration.ofDays(10);

  /**
   * The service desk's time: ten days back while the late case opens, then (about) now, so that
   * case's response deadline has passed when the browser, on real time, counts down to it.
   */
  private static final MutableClock CLOCK = new MutableClock(Instant.now().minus(LATE_BY));

  private static TestPlatform platform;
  private static ApiClient admin;
  private static String technicianToken;
  private static String supervisorToken;
  private static String viewerToken;
  private static long lateCase;

  @RegisterExtension
  final ConsoleBrowser browser =
      new ConsoleBrowser(() -> "http://127.0.0.1:" + platform.platform().httpPort());

  @BeforeAll
  static void start() {
    platform = TestPlatform.start(Map.of(), CLOCK);
    admin = platform.api();
    lateCase = cameraCase("tp-cam-late");
    CLOCK.advance(LATE_BY);
    technicianToken = admin.createQualifiedTechnician("tp-tech", "camera");
    supervisorToken = admin.createStaff("tp-super", "supervisor");
    viewerToken = admin.createStaff("tp-viewer", "viewer");
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  private static long cameraCase(String deviceId) {
    admin.provisionDevice(deviceId, "camera");
    return admin.openCase(
        Map.of(
            "channel", "phone",
            "symptom", "the camera does not record",
            "deviceId", deviceId,
            "serviceType", "repair"));
  }

  private void choose(String select, String value) {
    new Select(browser.visible(select)).selectByValue(value);
  }

  @Test
  void technicianOpensTheDevicesTicketFromTheSlaQueueAndAcknowledgesIt() {
    long ticket = cameraCase("tp-cam-1");
    browser.signIn(technicianToken);
    browser.open("/tickets");

    // The queue's default order is SLA urgency; the open case's response clock counts down.
    assertThat(
            new Select(browser.visible("tickets-filter-sort"))
                .getFirstSelectedOption()
                .getAttribute("value"))
        .isEqualTo("sla");
    WebElement deadline = browser.visible("ticket-deadline-" + ticket);
    browser.until(d -> deadline.getText().startsWith("response in "));
    browser.element("ticket-link-" + ticket).click();

    browser.hasText("ticket-status", "open");
    assertThat(browser.visible("sla-response").getText()).contains("running");
    assertThat(browser.element("ticket-device-link").getText()).isEqualTo("tp-cam-1");
    Select to = new Select(browser.visible("transition-to"));
    // A technician may acknowledge; cancelling needs a supervisor, so it is not offered.
    assertThat(to.getOptions()).extracting(WebElement::getText).containsExactly("acknowledged");
    browser.type("transition-note", "called the customer");
    browser.element("transition-submit").click();

    browser.hasText("ticket-status", "acknowledged");
    browser.until(
        d ->
            d
                .findElements(
                    By.cssSelector("[data-test='timeline-entry'][data-kind='transition']"))
                .stream()
                .anyMatch(
                    line ->
                        line.getText().contains("open → acknowledged by tp-tech")
                            && line.getText().contains("called the customer")));
    assertThat(admin.ticket(ticket).get("owner").asText()).isEqualTo("tp-tech");
  }

  @Test
  void aTicketPastItsDeadlineLeadsTheQueueMarkedOverdue() {
    cameraCase("tp-cam-on-time");
    browser.signIn(viewerToken);
    browser.open("/tickets");

    WebElement deadline = browser.visible("ticket-deadline-" + lateCase);
    browser.until(d -> deadline.getText().startsWith("response overdue by "));
    assertThat(deadline.findElement(test("countdown")).getAttribute("class")).contains("overdue");
    assertThat(
            browser
                .element("ticket-rows")
                .findElement(By.cssSelector("tr:first-child"))
                .getAttribute("data-id"))
        .isEqualTo(Long.toString(lateCase));
  }

  @Test
  void aRefusedMoveShowsTheProblemAndLeavesTheTicketAsItWas() {
    long ticket = cameraCase("tp-cam-2");
    ApiClient technician = admin.as(technicianToken);
    technician.moveTicket(ticket, Map.of("to", "acknowledged"));
    technician.moveTicket(
        ticket, Map.of("to", "dispatched", "assignee", "tp-tech", "channel", "remote"));
    technician.moveTicket(ticket, Map.of("to", "in_progress"));
    technician.moveTicket(ticket, Map.of("to", "resolved"));
    browser.signIn(supervisorToken);
    browser.open("/tickets/" + ticket);

    browser.hasText("ticket-status", "resolved");
    // Closing needs the customer's sign-off, which this case does not have: the server refuses.
    choose("transition-to", "closed");
    browser.element("transition-submit").click();

    WebElement problem = browser.visible("transition-error");
    browser.until(d -> !problem.getText().isBlank());
    assertThat(problem.findElement(test("error")).getAttribute("data-status")).isEqualTo("409");
    assertThat(browser.element("ticket-status").getText()).isEqualTo("resolved");
    assertThat(admin.ticket(ticket).get("status").asText()).isEqualTo("resolved");
  }

  @Test
  void aChangeMadeElsewhereShowsLiveAndKeepsWhatIsBeingTyped() {
    long ticket = cameraCase("tp-cam-4");
    browser.signIn(technicianToken);
    browser.open("/tickets/" + ticket);
    browser.hasText("ticket-status", "open");
    browser.until(d -> "open".equals(d.findElement(By.tagName("body")).getAttribute("data-live")));
    browser.type("transition-note", "calling back at 3");

    ApiClient.Response unavailable =
        admin.post(
            "/api/v1/tickets/" + ticket + "/customer-availability",
            Map.of("available", false, "note", "on holiday"));
    assertThat(unavailable.status()).as(String.valueOf(unavailable.body())).isEqualTo(200);

    browser.until(
        d ->
            d.findElements(
                        By.cssSelector(
                            "[data-test='timeline-entry'][data-kind='customer_unavailable']"))
                    .size()
                == 1);
    assertThat(browser.element("transition-note").getAttribute("value"))
        .isEqualTo("calling back at 3");
  }

  @Test
  void aViewerReadsTheTicketButIsOfferedNoMove() {
    long ticket = cameraCase("tp-cam-3");
    browser.signIn(viewerToken);
    browser.open("/tickets/" + ticket);

    browser.hasText("ticket-status", "open");
    assertThat(browser.visible("sla-response").getText()).contains("running");
    assertThat(browser.element("ticket-transitions").findElements(test("transition-form")))
        .isEmpty();
  }
}
