package io.aftercare.platform.tickets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.bridge.testing.MutableClock;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.TestHttp;
import io.aftercare.platform.testing.TestPlatform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The after-sales KPIs through {@code GET /api/v1/kpis} and {@code /kpis/series} on the real
 * database (docs/tickets.md, KPIs), the service desk's time driven by a test clock and its calendar
 * in Europe/Berlin. Each test works in a range of its own, after what the others opened.
 */
class KpisTest {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  private static MutableClock clock;
  private static TestPlatform platform;
  private static ApiClient admin;

  @BeforeAll
  static void start() {
    clock = new MutableClock(Instant.parse("2026-11-02T09:00:00Z"));
    platform = TestPlatform.start(Map.of("tickets.calendar.zone", "Europe/Berlin"), clock);
    admin = platform.api();
    admin.createStaff("tina", "technician");
    admin.qualify("tina", "fridge", "oven", "lock");
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void aCaseStillUnansweredPastItsTargetIsLateAndOneCancelledUnderItIsNotCounted() {
    Instant from = afterTheOtherTests();
    provision("kpi-late-1", "fridge", "FR-200", "2.1.0");
    provision("kpi-late-2", "fridge", "FR-200", "2.1.0");
    provision("kpi-late-3", "fridge", "FR-200", "2.1.0");
    // A reported case is triaged as a minor fault: P3, a first contact due within 24 h.
    report("kpi-late-1");
    long answered = report("kpi-late-2");
    long cancelled = report("kpi-late-3");
    clock.advance(Duration.ofHours(1));
    move(answered, Map.of("to", "acknowledged", "note", "called back"));
    move(cancelled, Map.of("to", "cancelled", "note", "the customer fixed it"));

    clock.advance(Duration.ofHours(24));
    JsonNode response = kpis(from, "").path("overall").path("timeliness").path("response");

    assertThat(response.path("onTime").asInt()).isEqualTo(1);
    assertThat(response.path("late").asInt()).isEqualTo(1);
    assertThat(response.path("pending").asInt()).isZero();
    assertThat(response.path("rate").asDouble()).isEqualTo(0.5);
  }

  @Test
  void eachKpiIsBrokenDownByModel() {
    Instant from = afterTheOtherTests();
    provision("kpi-model-1", "fridge", "FR-200", "2.1.0");
    provision("kpi-model-2", "fridge", "FR-300", "3.0.1");
    provision("kpi-model-3", "fridge", "FR-300", "3.0.1");
    long fixed = report("kpi-model-1");
    report("kpi-model-2");
    report("kpi-model-3");
    clock.advance(Duration.ofHours(1));
    resolve(fixed, "remote");

    JsonNode answer = kpis(from, "&groupBy=model");

    assertThat(answer.path("groupBy").asText()).isEqualTo("model");
    assertThat(answer.at("/overall/ticketsOpened").asInt()).isEqualTo(3);
    JsonNode groups = answer.path("groups");
    assertThat(groups)
        .extracting(group -> group.path("key").asText())
        .containsExactly("FR-200", "FR-300");
    assertThat(groups.get(0).at("/kpis/ticketsOpened").asInt()).isEqualTo(1);
    assertThat(groups.get(0).at("/kpis/shares/firstTimeFix/rate").asDouble()).isEqualTo(1.0);
    assertThat(groups.get(1).at("/kpis/ticketsOpened").asInt()).isEqualTo(2);
    assertThat(groups.get(1).at("/kpis/resolved").asInt()).isZero();
    assertThat(admin.get("/api/v1/kpis?groupBy=colour").status()).isEqualTo(400);
  }

  @Test
  void theDailySeriesCountsDaysInTheCalendarsZone() {
    // Half an hour before a Berlin midnight, on a day nothing else was opened.
    Instant midnight =
        LocalDate.ofInstant(clock.instant().plus(Duration.ofDays(2)), BERLIN)
            .atStartOfDay(BERLIN)
            .toInstant();
    clock.advance(Duration.between(clock.instant(), midnight.minus(Duration.ofMinutes(30))));
    provision("kpi-day-1", "oven", "OV-1", "1.0");
    provision("kpi-day-2", "oven", "OV-1", "1.0");
    report("kpi-day-1");
    clock.advance(Duration.ofHours(1));
    report("kpi-day-2");
    LocalDate before = LocalDate.ofInstant(midnight, BERLIN).minusDays(1);

    ApiClient.Response answer =
        admin.get(
            "/api/v1/kpis/series?from="
                + before
                + "&to="
                + before.plusDays(3)
                + "&groupBy=deviceType");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body().path("zone").asText()).isEqualTo("Europe/Berlin");
    JsonNode days = answer.body().path("days");
    assertThat(days)
        .extracting(day -> day.path("day").asText())
        .containsExactly(
            before.toString(), before.plusDays(1).toString(), before.plusDays(2).toString());
    // 23:30 and 00:30 Berlin: two days there, one day in UTC.
    assertThat(days)
        .extracting(day -> day.at("/overall/ticketsOpened").asInt())
        .containsExactly(1, 1, 0);
    assertThat(days.get(0).at("/groups/0/key").asText()).isEqualTo("oven");
    assertThat(days.get(2).path("groups")).isEmpty();
  }

  @Test
  void theCsvExportParsesBackToTheJsonFigures() {
    Instant from = afterTheOtherTests();
    // A model with a comma and quotes must survive the round trip.
    provision("kpi-csv-1", "fridge", "FR-200, \"rev. B\"", "2.1.0");
    provision("kpi-csv-2", "fridge", "FR-400", "4.0");
    report("kpi-csv-1");
    report("kpi-csv-2");
    clock.advance(Duration.ofMinutes(5));
    String query = "?from=" + from + "&to=" + clock.instant() + "&groupBy=model";

    HttpResponse<String> csv = getText("/api/v1/kpis" + query + "&format=csv", "application/json");
    JsonNode json = admin.get("/api/v1/kpis" + query).body();

    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.headers().firstValue("content-type").orElse("")).startsWith("text/csv");
    List<Map<String, String>> rows = parse(csv.body());
    assertThat(rows).hasSize(3);
    assertThat(rows.get(0).get("groupBy")).isEmpty();
    assertThat(rows.get(0).get("ticketsOpened")).isEqualTo("2");
    assertThat(rows.get(0).get("timeliness.response.pending")).isEqualTo("2");
    assertThat(rows.get(0).get("timeliness.response.rate")).isEmpty();
    assertThat(rows.get(1).get("groupBy")).isEqualTo("model");
    assertThat(rows.get(1).get("key")).isEqualTo(json.at("/groups/0/key").asText());
    assertThat(rows.get(1).get("key")).isEqualTo("FR-200, \"rev. B\"");
    assertThat(rows.get(1).get("ticketsOpened")).isEqualTo("1");
    assertThat(rows.get(2).get("key")).isEqualTo("FR-400");

    HttpResponse<String> series =
        getText(
            "/api/v1/kpis/series?from="
                + LocalDate.ofInstant(from, BERLIN)
                + "&to="
                + LocalDate.ofInstant(from, BERLIN).plusDays(1),
            "text/csv");
    List<Map<String, String>> days = parse(series.body());
    assertThat(days).hasSize(1);
    assertThat(days.get(0).get("day")).isEqualTo(LocalDate.ofInstant(from, BERLIN).toString());
    assertThat(days.get(0).keySet())
        .contains(
            "complaintsWithoutCase",
            "shares.complaint.rate",
            "satisfaction.median",
            "satisfaction.customer.median",
            "satisfaction.staff.mean");
  }

  @Test
  void remoteResolutionCountsAnAlarmFixedRemotelyWithoutATicket() {
    Instant from = afterTheOtherTests();
    provision("kpi-remote-1", "lock", "LK-1", "1.2");
    provision("kpi-remote-2", "lock", "LK-1", "1.2");
    long onSite = report("kpi-remote-1");
    clock.advance(Duration.ofHours(1));
    resolve(onSite, "on_site");
    // Remote-fix-first fixed this one; nobody needed a ticket.
    platform.execute(
        "INSERT INTO alarms (device_id, rule_id, severity, status, category, raised_at,"
            + " last_seen_at, count, open_ticket, cleared_at, resolution, remediation_state)"
            + " VALUES ('kpi-remote-2', 'lock_jammed', 'major', 'cleared', 'device_fault', ?, ?, 1,"
            + " true, ?, 'fixed_remotely', 'fixed')",
        Timestamp.from(clock.instant()),
        Timestamp.from(clock.instant()),
        Timestamp.from(clock.instant()));
    clock.advance(Duration.ofMinutes(1));

    JsonNode answer = kpis(from, "&groupBy=rule");

    JsonNode overall = answer.path("overall");
    assertThat(overall.path("ticketsOpened").asInt()).isEqualTo(1);
    assertThat(overall.path("remoteFixesWithoutTicket").asInt()).isEqualTo(1);
    assertThat(overall.at("/shares/remoteResolution/count").asInt()).isEqualTo(1);
    assertThat(overall.at("/shares/remoteResolution/of").asInt()).isEqualTo(2);
    assertThat(overall.at("/shares/remoteResolution/rate").asDouble()).isEqualTo(0.5);
    // The fix has its rule; the reported case has none (its group has no key, last).
    JsonNode groups = answer.path("groups");
    assertThat(groups.get(0).path("key").asText()).isEqualTo("lock_jammed");
    assertThat(groups.get(0).at("/kpis/shares/remoteResolution/rate").asDouble()).isEqualTo(1.0);
    assertThat(groups.get(1).has("key")).isFalse();
    assertThat(groups.get(1).at("/kpis/shares/remoteResolution/rate").asDouble()).isEqualTo(0.0);
  }

  @Test
  void theComplaintRateCountsCasesComplainedAboutAndStandaloneComplaintsApart() {
    Instant from = afterTheOtherTests();
    provision("kpi-complaint-1", "fridge", "FR-200", "2.1.0");
    provision("kpi-complaint-2", "oven", "OV-1", "1.0");
    long complainedAbout = report("kpi-complaint-1");
    report("kpi-complaint-2");
    clock.advance(Duration.ofHours(2));
    // Two complaints about one case make one case complained about.
    complain(Map.of("channel", "phone", "text", "nobody called", "ticketId", complainedAbout));
    complain(Map.of("channel", "web", "text", "still nobody", "ticketId", complainedAbout));
    // A complaint that names no case: counted apart, not in the rate per case served.
    LocalDate day = LocalDate.ofInstant(clock.instant(), BERLIN);
    complain(Map.of("channel", "web", "text", "your hotline is rude", "customerRef", "C-9"));
    clock.advance(Duration.ofMinutes(1));

    JsonNode answer = kpis(from, "&groupBy=deviceType");

    JsonNode overall = answer.path("overall");
    assertThat(overall.at("/shares/complaint/count").asInt()).isEqualTo(1);
    assertThat(overall.at("/shares/complaint/of").asInt()).isEqualTo(2);
    assertThat(overall.at("/shares/complaint/rate").asDouble()).isEqualTo(0.5);
    assertThat(overall.path("complaintsWithoutCase").asInt()).isEqualTo(1);
    JsonNode groups = answer.path("groups");
    assertThat(groups)
        .extracting(group -> group.path("key").asText(null))
        .containsExactly("fridge", "oven", null);
    assertThat(groups.get(0).at("/kpis/shares/complaint/rate").asDouble()).isEqualTo(1.0);
    assertThat(groups.get(1).at("/kpis/shares/complaint/rate").asDouble()).isEqualTo(0.0);
    // The standalone complaint has no device: the group without a key, and no case in it.
    assertThat(groups.get(2).at("/kpis/complaintsWithoutCase").asInt()).isEqualTo(1);
    assertThat(groups.get(2).at("/kpis/ticketsOpened").asInt()).isZero();
    assertThat(groups.get(2).at("/kpis/shares/complaint").has("rate")).isFalse();

    // In the series on the day it was received, the only one any test files.
    ApiClient.Response series =
        admin.get("/api/v1/kpis/series?from=" + day + "&to=" + day.plusDays(1));
    assertThat(series.status()).isEqualTo(200);
    assertThat(series.body().at("/days/0/overall/complaintsWithoutCase").asInt()).isEqualTo(1);
  }

  @Test
  void theHeadlineSatisfactionIsTheCustomersOwnAndStaffScoresAreReportedApart() {
    Instant from = afterTheOtherTests();
    provision("kpi-rated-1", "fridge", "FR-200", "2.1.0");
    provision("kpi-rated-2", "fridge", "FR-200", "2.1.0");
    long rated = report("kpi-rated-1");
    long unrated = report("kpi-rated-2");
    clock.advance(Duration.ofHours(1));
    resolve(rated, "on_site");
    resolve(unrated, "on_site");
    ApiClient customer = customer(rated);
    ApiClient otherCustomer = customer(unrated);
    // The customer rates through their link; the other accepts the repair but does not rate.
    assertThat(
            customer
                .post(
                    "/api/v1/customer/case/satisfaction", Map.of("score", 5, "category", "overall"))
                .status())
        .isEqualTo(200);
    acceptRepair(customer);
    acceptRepair(otherCustomer);
    // Staff close both with the score they heard on the phone.
    move(rated, Map.of("to", "closed", "satisfaction", 2));
    move(unrated, Map.of("to", "closed", "satisfaction", 3));

    JsonNode satisfaction = kpis(from, "").at("/overall/satisfaction");

    assertThat(satisfaction.path("count").asInt()).isEqualTo(1);
    assertThat(satisfaction.path("mean").asDouble()).isEqualTo(5.0);
    assertThat(satisfaction.path("median").asDouble()).isEqualTo(5.0);
    assertThat(satisfaction.at("/customer/count").asInt()).isEqualTo(1);
    assertThat(satisfaction.at("/customer/mean").asDouble()).isEqualTo(5.0);
    assertThat(satisfaction.at("/staff/count").asInt()).isEqualTo(2);
    assertThat(satisfaction.at("/staff/mean").asDouble()).isEqualTo(2.5);
    assertThat(satisfaction.at("/staff/median").asDouble()).isEqualTo(2.5);
  }

  @Test
  void aReportedCaseWhoseFaultCameBackAfterTheClosingIsARepeatFault() {
    Instant from = afterTheOtherTests();
    provision("kpi-repeat-1", "fridge", "FR-200", "2.1.0");
    // A reported case has no diagnosis category: the fault is known by the rule of its alarm.
    openAlarm("kpi-repeat-1", "compressor_stall");
    long first = report("kpi-repeat-1");
    resolve(first, "on_site");
    acceptRepair(customer(first));
    move(first, Map.of("to", "closed"));
    platform.execute(
        "UPDATE alarms SET status = 'cleared', cleared_at = now() WHERE device_id = ?",
        "kpi-repeat-1");
    // A day later the same rule fires again and the customer calls again: a new case, since a
    // closed one never reopens, which the KPIs count as the same fault back after a repair.
    clock.advance(Duration.ofDays(1));
    openAlarm("kpi-repeat-1", "compressor_stall");
    report("kpi-repeat-1");

    JsonNode repeat = kpis(from, "").at("/overall/shares/repeatFault");

    assertThat(repeat.path("count").asInt()).isEqualTo(1);
    assertThat(repeat.path("of").asInt()).isEqualTo(2);
  }

  private static void openAlarm(String deviceId, String ruleId) {
    platform.execute(
        "INSERT INTO alarms (device_id, rule_id, severity, status, category, raised_at,"
            + " last_seen_at, count, open_ticket) VALUES (?, ?, 'major', 'active',"
            + " 'device_fault', now(), now(), 1, true)",
        deviceId,
        ruleId);
  }

  /** A minute later than anything the other tests opened: the start of this test's range. */
  private static Instant afterTheOtherTests() {
    clock.advance(Duration.ofMinutes(1));
    return clock.instant();
  }

  private static JsonNode kpis(Instant from, String more) {
    Instant to = clock.instant().plusSeconds(1);
    ApiClient.Response answer = admin.get("/api/v1/kpis?from=" + from + "&to=" + to + more);
    assertThat(answer.status()).as("%s", answer.body()).isEqualTo(200);
    return answer.body();
  }

  private static void provision(String id, String type, String model, String firmware) {
    Map<String, Object> device = new HashMap<>();
    device.put("id", id);
    device.put("type", type);
    device.put("model", model);
    device.put("firmware", firmware);
    device.put("customerTier", "standard");
    ApiClient.Response response = admin.post("/api/v1/devices", device);
    assertThat(response.status()).as("%s", response.body()).isEqualTo(201);
  }

  /** A customer-reported case for the device, opened now; returns its id. */
  private static long report(String deviceId) {
    ApiClient.Response opened =
        admin.post(
            "/api/v1/tickets",
            Map.of(
                "channel", "phone",
                "symptom", "it stopped working",
                "deviceId", deviceId,
                "serviceType", "repair"));
    assertThat(opened.status()).as("%s", opened.body()).isEqualTo(201);
    return opened.body().path("id").asLong();
  }

  private static void move(long ticketId, Map<String, Object> transition) {
    ApiClient.Response moved =
        admin.post("/api/v1/tickets/" + ticketId + "/transitions", transition);
    assertThat(moved.status()).as("%s", moved.body()).isEqualTo(200);
  }

  private static void resolve(long ticketId, String channel) {
    move(ticketId, Map.of("to", "acknowledged", "note", "called back"));
    move(ticketId, Map.of("to", "dispatched", "assignee", "tina", "channel", channel));
    move(ticketId, Map.of("to", "in_progress", "note", "on it"));
    move(ticketId, Map.of("to", "resolved", "note", "fixed"));
  }

  private static void complain(Map<String, Object> complaint) {
    ApiClient.Response filed = admin.post("/api/v1/complaints", complaint);
    assertThat(filed.status()).as("%s", filed.body()).isEqualTo(201);
  }

  /** The customer's side of the API, with the link token of the case only. */
  private static ApiClient customer(long ticketId) {
    ApiClient.Response issued =
        admin.post("/api/v1/tickets/" + ticketId + "/customer-links", Map.of());
    assertThat(issued.status()).as("%s", issued.body()).isEqualTo(201);
    return admin.as(issued.body().path("token").asText());
  }

  private static void acceptRepair(ApiClient customer) {
    ApiClient.Response accepted =
        customer.post("/api/v1/customer/case/acceptance", Map.of("accepted", true));
    assertThat(accepted.status()).as("%s", accepted.body()).isEqualTo(200);
  }

  private static HttpResponse<String> getText(String path, String accept) {
    try {
      return TestHttp.CLIENT.send(
          TestHttp.request(URI.create(baseUrl() + path))
              .header("authorization", "Bearer " + platform.platform().adminToken())
              .header("accept", accept)
              .GET()
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String baseUrl() {
    return "http://127.0.0.1:" + platform.platform().httpPort();
  }

  /** RFC 4180 as a spreadsheet reads it: the first row names the columns. */
  private static List<Map<String, String>> parse(String text) {
    List<List<String>> records = new ArrayList<>();
    List<String> record = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (quoted) {
        if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (ch == '"') {
          quoted = false;
        } else {
          cell.append(ch);
        }
      } else if (ch == '"') {
        quoted = true;
      } else if (ch == ',') {
        record.add(cell.toString());
        cell.setLength(0);
      } else if (ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
        record.add(cell.toString());
        cell.setLength(0);
        records.add(record);
        record = new ArrayList<>();
        i++;
      } else {
        cell.append(ch);
      }
    }
    List<String> header = records.get(0);
    List<Map<String, String>> rows = new ArrayList<>();
    for (List<String> values : records.subList(1, records.size())) {
      assertThat(values).hasSameSizeAs(header);
      Map<String, String> row = new HashMap<>();
      for (int i = 0; i < header.size(); i++) {
        row.put(header.get(i), values.get(i));
      }
      rows.add(row);
    }
    return rows;
  }
}
