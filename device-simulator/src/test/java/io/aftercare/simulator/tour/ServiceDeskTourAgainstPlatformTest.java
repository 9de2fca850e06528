package io.aftercare.simulator.tour;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.simulator.link.DeviceLinks;
import io.aftercare.simulator.platform.Credentials;
import io.aftercare.simulator.platform.PlatformApi;
import io.aftercare.simulator.platform.Provisioner;
import io.aftercare.simulator.platform.ServiceDeskApi;
import io.aftercare.simulator.run.FleetRunner;
import io.aftercare.simulator.scenario.FleetPlanner;
import io.aftercare.simulator.scenario.GroundTruthLog;
import io.aftercare.simulator.scenario.ScenarioLoader;
import io.aftercare.simulator.testing.SimulatorPlatform;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service-desk tour against a whole platform while a door lock jams: the lock reports every
 * second and its error burst starts at once, so the tour's wait for the jam's ticket is short.
 */
class ServiceDeskTourAgainstPlatformTest {

  private static SimulatorPlatform platform;

  @BeforeAll
  static void startPlatform() {
    platform = SimulatorPlatform.start();
  }

  @AfterAll
  static void stopPlatform() {
    platform.close();
  }

  @Test
  void showsEveryStepWithTheFiguresThePlatformGaveBack(@TempDir Path dir) throws Exception {
    String yaml =
        """
        seed: 11
        idPrefix: tour-
        fleet:
          - {type: door_lock, count: 1, protocol: mqtt3, interval: 1s}
        faults:
          - {fault: error_burst, select: {ids: [door-lock-001]}, startAfter: 0s}
        """;
    ByteArrayOutputStream narration = new ByteArrayOutputStream();
    TourReport report;
    try (FleetRunner fleet =
        FleetRunner.start(
            FleetPlanner.plan(ScenarioLoader.parse(yaml)),
            new Provisioner(
                new PlatformApi(platform.apiUrl(), SimulatorPlatform.ADMIN_TOKEN),
                Credentials.open(dir.resolve("credentials.json"))),
            new DeviceLinks(
                platform.mqttUri(),
                URI.create("coap://127.0.0.1:1"),
                URI.create("coaps://127.0.0.1:1")),
            new GroundTruthLog(dir.resolve("truth.jsonl")),
            Clock.systemUTC())) {
      assertThat(fleet.size()).isEqualTo(1);
      report =
          new ServiceDeskTour(
                  new ServiceDeskApi(platform.apiUrl(), SimulatorPlatform.ADMIN_TOKEN),
                  new PrintStream(narration, true, StandardCharsets.UTF_8),
                  Duration.ofMinutes(3),
                  Duration.ofSeconds(1),
                  "t1",
                  Clock.systemUTC())
              .run();
    }
    String text = narration.toString(StandardCharsets.UTF_8);

    assertThat(report.failures()).as(text).isEmpty();
    // (a) one fault, one case: both rules' alarms on the one ticket, and on no other
    assertThat(report.lockTicketRules())
        .contains(ServiceDeskTour.LOCK_JAMMED, ServiceDeskTour.REPEATED_ERRORS);
    assertThat(report.ticketsLinkingLockAlarms()).isEqualTo(1);
    ApiClient api = new ApiClient(platform.apiUrl(), SimulatorPlatform.ADMIN_TOKEN);
    JsonNode lockTicket = api.get("/api/v1/tickets/" + report.lockTicketId()).body();
    assertThat(lockTicket.get("deviceId").asText()).isEqualTo("tour-door-lock-001");
    assertThat(lockTicket.get("alarms").size()).isGreaterThanOrEqualTo(2);
    // (b) only the lock has an open alarm here: the customer's report of it joins the lock's case
    // (one case per fault) with the customer's words on its timeline
    assertThat(report.reportedCaseAlarmIds()).isNotEmpty();
    assertThat(report.reportedCaseId()).isEqualTo(report.lockTicketId());
    JsonNode reported = api.get("/api/v1/tickets/" + report.reportedCaseId()).body();
    assertThat(reported.get("timeline"))
        .anySatisfy(entry -> assertThat(entry.path("kind").asText()).isEqualTo("customer_report"));
    assertThat(reported.get("alarms"))
        .extracting(alarm -> alarm.get("alarmId").asLong())
        .contains(report.reportedCaseAlarmIds().get(0));
    // (c) accepted through the link, then work started
    assertThat(report.quoteStatus()).isEqualTo("accepted");
    assertThat(report.workStatus()).isEqualTo("in_progress");
    assertThat(text).contains("HTTP 409", "tour-fridge-t1", "warranty out_of_warranty");
    // (d) the complaint's clock runs until someone answers
    assertThat(report.complaintClockState()).isEqualTo("running");
    JsonNode complaint = api.get("/api/v1/complaints/" + report.complaintId()).body();
    assertThat(complaint.get("responseClock").get("dueAt").asText()).isNotEmpty();
    // (e) today's series counts the tour's cases: the lock's (which the report joined), the
    // fridge's
    assertThat(report.seriesDays()).isEqualTo(1);
    assertThat(report.ticketsOpenedToday()).isGreaterThanOrEqualTo(2);
    assertThat(text).contains("door_lock", "fridge");
    // (f) the lock command: refused without the owner, accepted within the session the owner
    // granted through the case's link, listed in its activity, refused again once revoked
    assertThat(report.lockRefusedWithoutConsent()).isEqualTo(403);
    assertThat(report.lockCommandInSession()).isNotBlank();
    assertThat(report.sessionActivity()).isEqualTo(1);
    assertThat(report.lockRefusedAfterRevocation()).isEqualTo(403);
    assertThat(text).contains("urn:aftercare:problem:owner-consent-required", "(lock)");
    JsonNode lockCommand = api.get("/api/v1/commands/" + report.lockCommandInSession()).body();
    assertThat(lockCommand.get("name").asText()).isEqualTo("set_config");
    assertThat(lockCommand.get("deviceId").asText()).isEqualTo("tour-door-lock-001");

    // The command line, on the same platform: the lock's ticket is there already, so no wait.
    assertThat(platform.runSimulator("tour", "--wait", "0s", "--run-tag", "t2")).isZero();
  }
}
