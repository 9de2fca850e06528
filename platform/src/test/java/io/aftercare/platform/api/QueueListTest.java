package io.aftercare.platform.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.TestPlatform;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The alarm and ticket lists (newest first): their filters and cursor paging through the REST API
 * on the real database, with rows added between pages.
 */
class QueueListTest {

  private static TestPlatform platform;
  private static ApiClient admin;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start();
    admin = platform.api();
    admin.provisionDevice("ql-cam", "camera");
    admin.provisionDevice("ql-hub", "hub");
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  private static void alarm(String device, String rule, String category, String remediation) {
    platform.execute(
        "INSERT INTO alarms (device_id, rule_id, severity, status, category, raised_at,"
            + " last_seen_at, count, open_ticket, remediation_state)"
            + " VALUES (?, ?, 'major', 'active', ?, now(), now(), 1, false, ?)",
        device,
        rule,
        category,
        remediation);
  }

  private static long reportedCase(String customerRef) {
    return admin.openCase(
        Map.of(
            "channel", "phone",
            "symptom", "the camera does not record",
            "customerRef", customerRef,
            "serviceType", "repair"));
  }

  /** Follows nextCursor to the end, running {@code between} after each page; the ids served. */
  private static List<String> pageThrough(String list, String query, Runnable between) {
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      String path =
          "/api/v1/"
              + list
              + "?limit=2&"
              + query
              + (cursor == null
                  ? ""
                  : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
      ApiClient.Response page = admin.get(path);
      assertThat(page.status()).as(path).isEqualTo(200);
      page.body().get(list).forEach(row -> seen.add(row.get("id").asText()));
      JsonNode next = page.body().get("nextCursor");
      cursor = next == null ? null : next.asText();
      between.run();
      pages++;
    } while (cursor != null && pages < 20);
    return seen;
  }

  private static List<String> ids(String list, String query) {
    List<String> ids = new ArrayList<>();
    admin
        .get("/api/v1/" + list + "?" + query)
        .body()
        .get(list)
        .forEach(r -> ids.add(r.get("id").asText()));
    return ids;
  }

  @Test
  void alarmsPageNewestFirstWithoutRepeatsOrGapsWhileNewOnesArrive() {
    for (int i = 0; i < 5; i++) {
      alarm("ql-cam", "page-" + i, "paging", "none");
    }
    List<String> before = ids("alarms", "category=paging&limit=1000");
    int[] added = {0};
    Supplier<String> rule = () -> "late-" + added[0]++;
    List<String> seen =
        pageThrough(
            "alarms", "category=paging", () -> alarm("ql-hub", rule.get(), "paging", "none"));
    assertThat(before).hasSize(5);
    // Newest first: alarms raised meanwhile are ahead of the position, so the walk ends.
    assertThat(seen).doesNotHaveDuplicates().containsExactlyElementsOf(before);
  }

  @Test
  void alarmFiltersNarrowTheQueue() {
    alarm("ql-cam", "f-1", "cooling", "trying");
    alarm("ql-hub", "f-2", "cooling", "exhausted");
    assertThat(ids("alarms", "category=cooling")).hasSize(2);
    assertThat(ids("alarms", "category=cooling&remediationState=exhausted")).hasSize(1);
    assertThat(ids("alarms", "category=cooling&deviceId=ql-cam&ruleId=f-1")).hasSize(1);
    ApiClient.Response wrong = admin.get("/api/v1/alarms?remediationState=asleep");
    assertThat(wrong.status()).isEqualTo(400);
    assertThat(wrong.body().get("detail").asText()).contains("'remediationState'");
  }

  @Test
  void ticketsPageNewestFirstWithoutRepeatsOrGapsWhileNewOnesArrive() {
    List<String> opened = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      opened.add(0, Long.toString(reportedCase("QL-PAGE")));
    }
    List<String> seen = pageThrough("tickets", "customer=QL-PAGE", () -> reportedCase("QL-PAGE"));
    assertThat(seen).doesNotHaveDuplicates().containsExactlyElementsOf(opened);
  }

  @Test
  void ticketFiltersNarrowTheListAndTheOldAnswerKeepsItsShape() {
    long id = reportedCase("QL-ONE");
    assertThat(ids("tickets", "customer=QL-ONE")).containsExactly(Long.toString(id));
    // A reported case is not diagnosed yet: it has no category.
    assertThat(ids("tickets", "customer=QL-ONE&category=connectivity")).isEmpty();
    assertThat(ids("tickets", "customer=QL-ONE&assignee=nobody")).isEmpty();
    JsonNode old = admin.get("/api/v1/tickets?deviceId=ql-cam&priority=P1&limit=1000").body();
    assertThat(old.get("tickets").isArray()).isTrue();
    assertThat(old.has("nextCursor")).isFalse();
    ApiClient.Response alarmCursor =
        admin.get("/api/v1/tickets?cursor=" + Cursor.encode("by-model", "x", "1"));
    assertThat(alarmCursor.status()).isEqualTo(400);
  }

  @Test
  void aDevicesCommandsPageNewestFirstAndFilterByNameAndStatus() {
    List<String> sent = new ArrayList<>();
    for (String name : List.of("identify", "reboot", "identify")) {
      sent.add(0, submit(name));
    }
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonNode page =
          admin
              .get(
                  "/api/v1/devices/ql-cam/commands?limit=1"
                      + (cursor == null ? "" : "&cursor=" + cursor))
              .body();
      page.get("commands").forEach(c -> seen.add(c.get("commandId").asText()));
      cursor = page.has("nextCursor") ? page.get("nextCursor").asText() : null;
      if (pages == 0) {
        // Newer than the position: not part of the rest of this walk.
        submit("run_self_test");
      }
      pages++;
    } while (cursor != null && pages < 10);
    assertThat(seen).doesNotHaveDuplicates().containsExactlyElementsOf(sent);

    JsonNode identify = admin.get("/api/v1/devices/ql-cam/commands?name=identify").body();
    assertThat(identify.get("commands")).hasSize(2);
    assertThat(admin.get("/api/v1/devices/ql-cam/commands?status=queued").body().get("commands"))
        .hasSize(4);
    assertThat(admin.get("/api/v1/devices/ql-cam/commands?status=succeeded").body().get("commands"))
        .isEmpty();
  }

  private static String submit(String name) {
    ApiClient.Response submitted =
        admin.post("/api/v1/devices/ql-cam/commands", Map.of("name", name, "params", Map.of()));
    assertThat(submitted.status()).as(submitted.toString()).isEqualTo(202);
    return submitted.body().get("commandId").asText();
  }

  @Test
  void theAuditTrailPagesNewestFirstAndFiltersByActionTargetAndTime() {
    admin.provisionDevice("ql-audit-1", "plug");
    admin.provisionDevice("ql-audit-2", "plug");
    List<String> expected = new ArrayList<>();
    admin
        .get("/api/v1/audit?action=device.provision&limit=1000")
        .body()
        .get("entries")
        .forEach(e -> expected.add(e.get("id").asText()));
    assertThat(expected).hasSizeGreaterThanOrEqualTo(4);
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonNode page =
          admin
              .get(
                  "/api/v1/audit?action=device.provision&limit=1"
                      + (cursor == null ? "" : "&cursor=" + cursor))
              .body();
      page.get("entries").forEach(e -> seen.add(e.get("id").asText()));
      cursor = page.has("nextCursor") ? page.get("nextCursor").asText() : null;
      if (pages == 0) {
        admin.provisionDevice("ql-audit-3", "plug");
      }
      pages++;
    } while (cursor != null && pages < 50);
    assertThat(seen).doesNotHaveDuplicates().containsExactlyElementsOf(expected);

    JsonNode entries = admin.get("/api/v1/audit?action=device.provision&limit=1000").body();
    assertThat(entries.get("entries")).hasSize(expected.size() + 1);
    String target = entries.at("/entries/0/target").asText();
    JsonNode one = admin.get("/api/v1/audit?target=" + target).body().get("entries");
    assertThat(one).isNotEmpty().allMatch(e -> e.get("target").asText().equals(target));
    assertThat(admin.get("/api/v1/audit?action=device.provision&to=0").body().get("entries"))
        .isEmpty();
    assertThat(admin.get("/api/v1/audit?action=device.provision&from=0&limit=1000").body())
        .isEqualTo(entries);
  }
}
