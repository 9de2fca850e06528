package io.aftercare.platform.tickets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.bridge.testing.MutableClock;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.TestPlatform;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The clocks on an office calendar, Monday to Friday 08:00-18:00 UTC, with Friday 2026-12-25 a
 * public holiday ({@code tickets.calendar}): nights, the weekend and the holiday do not count.
 */
class WorkingHoursClocksTest {

  private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
  private static TestPlatform platform;
  private static ApiClient technician;

  @BeforeAll
  static void start() {
    platform =
        TestPlatform.start(
            Map.of(
                "tickets.calendar.workingHours", "MON-FRI 08:00-18:00",
                "tickets.calendar.zone", "UTC",
                "tickets.calendar.holidays", "2026-12-25"),
            CLOCK);
    ApiClient admin = platform.api();
    technician = admin.as(admin.createStaff("tess", "technician"));
    admin.createQualifiedTechnician("ann", "fridge");
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void nightsTheWeekendAndTheHolidayAreNotCounted() {
    // Opened on Thursday 24 December at 17:00: a P3 case without a device, respond within 24 h.
    setClock(Instant.parse("2026-12-24T17:00:00Z"));
    long id =
        technician.openCase(
            Map.of("channel", "web", "symptom", "the app shows no data", "serviceType", "repair"));

    // Monday 28 December 09:00: one hour on Thursday, none on the holiday or the weekend, one on
    // Monday (the Friday would have added ten).
    setClock(Instant.parse("2026-12-28T09:00:00Z"));
    JsonNode response = technician.ticket(id).at("/sla/response");
    assertThat(seconds(response.path("elapsed"))).isEqualTo(2 * 3600);
    assertThat(response.path("standing").asText()).isEqualTo("on_time");
    // 22 working hours left: Monday until 18:00 (9), Tuesday (10), Wednesday 08:00-11:00 (3).
    assertThat(response.path("dueAt").asText()).isEqualTo("2026-12-30T11:00:00Z");
  }

  @Test
  void theRepairClockCountsOnlyWorkingHoursToo() {
    setClock(Instant.parse("2026-12-28T10:00:00Z"));
    long id =
        technician.openCase(
            Map.of("channel", "phone", "symptom", "the hub reboots", "serviceType", "repair"));
    technician.moveTicket(id, Map.of("to", "acknowledged"));
    technician.moveTicket(id, Map.of("to", "dispatched", "assignee", "ann", "channel", "remote"));
    setClock(Instant.parse("2026-12-28T17:00:00Z"));
    technician.moveTicket(id, Map.of("to", "in_progress"));

    // Tuesday 09:00: one hour on Monday evening, one on Tuesday morning.
    setClock(Instant.parse("2026-12-29T09:00:00Z"));
    JsonNode repair = technician.ticket(id).at("/sla/repair");
    assertThat(repair.path("state").asText()).isEqualTo("running");
    assertThat(seconds(repair.path("elapsed"))).isEqualTo(2 * 3600);
  }

  private static void setClock(Instant at) {
    CLOCK.advance(Duration.between(CLOCK.instant(), at));
  }

  private static long seconds(JsonNode duration) {
    return Math.round(duration.asDouble());
  }
}
