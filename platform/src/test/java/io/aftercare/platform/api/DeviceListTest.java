package io.aftercare.platform.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.TestHttp;
import io.aftercare.platform.testing.TestPlatform;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v1/devices}: filters, sorts and cursor paging through the REST API on the real
 * database, and the refusals every route shares (unknown query parameter, wrong method).
 */
class DeviceListTest {

  private static TestPlatform platform;
  private static ApiClient admin;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start();
    admin = platform.api();
    provision("dl-cam-01", "camera", "C-1", "2.4.1", "home-a", "cust-a");
    provision("dl-cam-02", "camera", "C-1", "2.4.0", "home-b", "cust-b");
    provision("dl-cam-03", "camera", "C-2", "2.4.1", "home-c", "cust-a");
    provision("dl-fridge-01", "fridge", "F-200", "1.0.0", "home-a", "cust-a");
    provision("dl-fridge-02", "fridge", null, null, "home-d", "cust-c");
    platform.execute("UPDATE devices SET online = true WHERE id IN ('dl-cam-01', 'dl-fridge-01')");
    platform.execute(
        "INSERT INTO alarms (device_id, rule_id, severity, status, category, raised_at,"
            + " last_seen_at, count, open_ticket) VALUES"
            + " ('dl-cam-02', 'r1', 'major', 'active', 'connectivity', now(), now(), 1, false),"
            + " ('dl-fridge-01', 'r1', 'major', 'cleared', 'cooling', now(), now(), 1, false)");
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  private static void provision(
      String id, String type, String model, String firmware, String home, String customer) {
    Map<String, Object> device = new HashMap<>();
    device.put("id", id);
    device.put("type", type);
    device.put("model", model);
    device.put("firmware", firmware);
    device.put("homeId", home);
    device.put("customerRef", customer);
    assertThat(admin.post("/api/v1/devices", device).status()).isEqualTo(201);
  }

  private static List<String> ids(String query) {
    ApiClient.Response page = admin.get("/api/v1/devices?idPrefix=dl-&" + query);
    assertThat(page.status()).as(query).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    page.body().get("devices").forEach(d -> ids.add(d.get("id").asText()));
    return ids;
  }

  @Test
  void eachFilterNarrowsTheList() {
    assertThat(ids("")).hasSize(5);
    assertThat(ids("type=fridge")).containsExactly("dl-fridge-01", "dl-fridge-02");
    assertThat(ids("model=C-1")).containsExactly("dl-cam-01", "dl-cam-02");
    assertThat(ids("firmware=2.4.1")).containsExactly("dl-cam-01", "dl-cam-03");
    assertThat(ids("type=camera&firmware=2.4.1&customer=cust-a"))
        .containsExactly("dl-cam-01", "dl-cam-03");
    assertThat(ids("home=home-a")).containsExactly("dl-cam-01", "dl-fridge-01");
    assertThat(ids("online=true")).containsExactly("dl-cam-01", "dl-fridge-01");
    assertThat(ids("online=false")).containsExactly("dl-cam-02", "dl-cam-03", "dl-fridge-02");
    // A cleared alarm is not an open one.
    assertThat(ids("hasOpenAlarm=true")).containsExactly("dl-cam-02");
    assertThat(ids("hasOpenAlarm=false")).hasSize(4).doesNotContain("dl-cam-02");
    assertThat(admin.get("/api/v1/devices?idPrefix=dl-cam-0").body().get("devices")).hasSize(3);
    // A prefix is text, not a pattern.
    assertThat(admin.get("/api/v1/devices?idPrefix=dl_").body().get("devices")).isEmpty();
  }

  @Test
  void sortsOrderByTheirKeyThenIdWithAMissingValueFirst() {
    assertThat(ids("sort=model"))
        .containsExactly("dl-fridge-02", "dl-cam-01", "dl-cam-02", "dl-cam-03", "dl-fridge-01");
    assertThat(ids("sort=firmware"))
        .containsExactly("dl-fridge-02", "dl-fridge-01", "dl-cam-02", "dl-cam-01", "dl-cam-03");
  }

  @Test
  void pagingWithInsertsInBetweenNeitherRepeatsNorSkipsARow() {
    for (int i = 0; i < 7; i++) {
      provision(String.format("pg-%02d", i * 2), "lamp", "L-" + (i % 3), "1.0." + i, "h", "c");
    }
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    int inserted = 0;
    do {
      String query =
          "/api/v1/devices?idPrefix=pg-&sort=model&limit=3"
              + (cursor == null
                  ? ""
                  : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
      JsonNode page = admin.get(query).body();
      page.get("devices").forEach(d -> seen.add(d.get("id").asText()));
      cursor = page.hasNonNull("nextCursor") ? page.get("nextCursor").asText() : null;
      // Rows arrive between pages: one sorting before the position, one after it.
      if (inserted < 2) {
        provision("pg-" + (51 + inserted), "lamp", "A-0", "9", "h", "c");
        provision("pg-" + (61 + inserted), "lamp", "L-9", "9", "h", "c");
        inserted++;
      }
      pages++;
    } while (cursor != null && pages < 20);

    assertThat(seen).doesNotHaveDuplicates();
    // Every row that existed throughout, and every row added after the position, was served.
    assertThat(seen)
        .contains("pg-00", "pg-02", "pg-04", "pg-06", "pg-08", "pg-10", "pg-12", "pg-61", "pg-62");
    assertThat(seen).doesNotContain("pg-51", "pg-52");
    assertThat(
            admin.get("/api/v1/devices?idPrefix=pg-&sort=model&limit=1000").body().get("devices"))
        .hasSize(seen.size() + 2);
  }

  @Test
  void theOldAfterParameterStillPagesTheIdOrder() {
    assertThat(ids("after=dl-cam-03")).containsExactly("dl-fridge-01", "dl-fridge-02");
    JsonNode last = admin.get("/api/v1/devices?idPrefix=dl-fridge&limit=2").body();
    assertThat(last.has("nextCursor")).as("the last page has no next").isFalse();
  }

  @Test
  void aCursorFromAnotherSortOrNoCursorAtAllIsRefusedByName() {
    String cursor =
        admin
            .get("/api/v1/devices?idPrefix=dl-&sort=model&limit=1")
            .body()
            .get("nextCursor")
            .asText();
    ApiClient.Response otherSort = admin.get("/api/v1/devices?sort=type&cursor=" + cursor);
    assertThat(otherSort.status()).isEqualTo(400);
    assertThat(otherSort.body().get("detail").asText()).contains("'cursor'");
    assertThat(admin.get("/api/v1/devices?cursor=not-a-cursor!").status()).isEqualTo(400);
    assertThat(admin.get("/api/v1/devices?sort=colour").body().get("detail").asText())
        .contains("'sort'");
    assertThat(admin.get("/api/v1/devices?online=yes").body().get("detail").asText())
        .contains("'online'");
  }

  @Test
  void anUnknownQueryParameterIsA400NamingItOnEveryRoute() {
    ApiClient.Response devices = admin.get("/api/v1/devices?type=camera&colour=red&size=xl");
    assertThat(devices.status()).isEqualTo(400);
    assertThat(devices.contentType()).startsWith("application/problem+json");
    assertThat(devices.body().get("detail").asText()).contains("'colour'", "'size'");
    ApiClient.Response tickets = admin.get("/api/v1/tickets?state=open");
    assertThat(tickets.status()).isEqualTo(400);
    assertThat(tickets.body().get("detail").asText()).contains("'state'");
    ApiClient.Response device = admin.get("/api/v1/devices/dl-cam-01?verbose=1");
    assertThat(device.body().get("detail").asText()).contains("'verbose'");
  }

  @Test
  void aWrongMethodOnAKnownPathIsA405WithAllow() throws Exception {
    HttpResponse<String> deleted = send("DELETE", "/api/v1/devices");
    assertThat(deleted.statusCode()).isEqualTo(405);
    assertThat(deleted.headers().firstValue("allow")).hasValue("GET, POST");
    assertThat(deleted.headers().firstValue("content-type")).hasValue("application/problem+json");
    HttpResponse<String> export = send("POST", "/api/v1/tickets/export");
    assertThat(export.statusCode()).isEqualTo(405);
    assertThat(export.headers().firstValue("allow")).hasValue("GET");
    // A path the API does not have is not a method problem (this unauthenticated call: a 401).
    assertThat(send("DELETE", "/api/v1/no-such-thing").statusCode()).isNotEqualTo(405);
  }

  private static HttpResponse<String> send(String method, String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + platform.platform().httpPort() + path);
    HttpRequest request =
        TestHttp.request(uri).method(method, HttpRequest.BodyPublishers.noBody()).build();
    return TestHttp.CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthBelowAgreesWithTheScoreEachDeviceShows() {
    // dl-cam-02: offline, never seen (-10) and a major alarm (-30) = 60; offline only = 90.
    assertThat(ids("healthBelow=61")).containsExactly("dl-cam-02");
    assertThat(ids("healthBelow=60")).isEmpty();
    assertThat(ids("healthBelow=91")).containsExactly("dl-cam-02", "dl-cam-03", "dl-fridge-02");
    assertThat(ids("healthBelow=101")).hasSize(5);
    for (String id : ids("")) {
      int score = admin.get("/api/v1/devices/" + id).body().at("/health/score").asInt();
      assertThat(ids("healthBelow=" + (score + 1))).as(id).contains(id);
      assertThat(ids("healthBelow=" + score)).as(id).doesNotContain(id);
    }
  }

  @Test
  void healthBelowHoldsAtTheOfflineBoundaryAndIdPrefixTakesWildcardsLiterally() {
    provision("hb-a_1", "smart_plug", "P-1", "1.0.0", "home-h", "cust-h");
    provision("hb-ab1", "smart_plug", "P-1", "1.0.0", "home-h", "cust-h");
    provision("hb-ac1", "smart_plug", "P-1", "1.0.0", "home-h", "cust-h");
    // hb-a_1: offline for two days, no alarm = 70. hb-ab1: online, a critical alarm = 40.
    // hb-ac1: offline for an hour (-10) and a minor alarm (-15) = 75.
    platform.execute(
        "UPDATE devices SET last_seen_at = now() - interval '2 days' WHERE id = 'hb-a_1'");
    platform.execute("UPDATE devices SET online = true WHERE id = 'hb-ab1'");
    platform.execute(
        "UPDATE devices SET last_seen_at = now() - interval '1 hour' WHERE id = 'hb-ac1'");
    platform.execute(
        "INSERT INTO alarms (device_id, rule_id, severity, status, category, raised_at,"
            + " last_seen_at, count, open_ticket) VALUES"
            + " ('hb-ab1', 'r1', 'critical', 'active', 'device_fault', now(), now(), 1, false),"
            + " ('hb-ac1', 'r2', 'minor', 'acknowledged', 'software', now(), now(), 1, false)");

    assertThat(hb("healthBelow=76")).containsExactly("hb-a_1", "hb-ab1", "hb-ac1");
    assertThat(hb("healthBelow=75")).containsExactly("hb-a_1", "hb-ab1");
    assertThat(hb("healthBelow=71")).containsExactly("hb-a_1", "hb-ab1");
    assertThat(hb("healthBelow=70")).containsExactly("hb-ab1");
    assertThat(hb("healthBelow=41&sort=model")).containsExactly("hb-ab1");
    assertThat(hb("healthBelow=40")).isEmpty();
    assertThat(hb("healthBelow=101")).hasSize(3);
    for (String id : hb("")) {
      int score = admin.get("/api/v1/devices/" + id).body().at("/health/score").asInt();
      assertThat(hb("healthBelow=" + (score + 1))).as(id).contains(id);
      assertThat(hb("healthBelow=" + score)).as(id).doesNotContain(id);
    }

    ApiClient.Response underscore = admin.get("/api/v1/devices?idPrefix=hb-a_");
    List<String> ids = new ArrayList<>();
    underscore.body().get("devices").forEach(d -> ids.add(d.get("id").asText()));
    assertThat(ids).containsExactly("hb-a_1");
  }

  private static List<String> hb(String query) {
    ApiClient.Response page = admin.get("/api/v1/devices?idPrefix=hb-&" + query);
    assertThat(page.status()).as(query).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    page.body().get("devices").forEach(d -> ids.add(d.get("id").asText()));
    return ids;
  }
}
