package io.aftercare.platform.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.CookieClient;
import io.aftercare.platform.testing.TestPlatform;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console's sign-in: a staff token exchanged for an HttpOnly, SameSite=Strict cookie that
 * authenticates like the token, with a CSRF token for every state-changing request.
 */
class ConsoleSessionTest {

  private static TestPlatform platform;
  private static ApiClient admin;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start();
    admin = platform.api();
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  private static String base() {
    return "http://127.0.0.1:" + platform.platform().httpPort();
  }

  @Test
  void signInSetsAnHttpOnlyStrictCookieThatAuthenticatesReads() {
    String token = admin.createStaff("cs-reader", "viewer");

    CookieClient browser = CookieClient.signIn(base(), token);

    String setCookie =
        browser.signInResponse().setCookies().stream()
            .filter(header -> header.startsWith("aftercare_session="))
            .findFirst()
            .orElseThrow();
    // Attribute names are case-insensitive (RFC 6265); Netty writes "HTTPOnly".
    assertThat(setCookie.toLowerCase(java.util.Locale.ROOT))
        .contains("path=/", "httponly", "samesite=strict")
        .doesNotContain("secure");
    assertThat(setCookie).doesNotContain(token);
    JsonNode session = browser.signInResponse().body();
    assertThat(session.get("name").asText()).isEqualTo("cs-reader");
    assertThat(session.get("role").asText()).isEqualTo("viewer");
    assertThat(session.get("csrfToken").asText()).isNotBlank();
    assertThat(session.get("expiresAt").asText()).isNotBlank();

    assertThat(browser.get("/api/v1/devices").status()).isEqualTo(200);
    CookieClient.Response current = browser.get("/api/v1/session");
    assertThat(current.status()).isEqualTo(200);
    assertThat(current.body()).isEqualTo(session);
  }

  @Test
  void aCookieRequestThatChangesStateNeedsTheSessionsCsrfToken() {
    CookieClient browser = CookieClient.signIn(base(), platform.platform().adminToken());
    Map<String, String> newStaff = Map.of("name", "csrf-made", "role", "viewer");

    CookieClient.Response without = browser.post("/api/v1/staff", newStaff, Map.of());
    CookieClient.Response wrong =
        browser.post("/api/v1/staff", newStaff, Map.of("X-CSRF-Token", "not-the-token"));
    CookieClient.Response otherSessions =
        browser.post(
            "/api/v1/staff",
            newStaff,
            CookieClient.signIn(base(), platform.platform().adminToken()).csrf());

    for (CookieClient.Response refused : List.of(without, wrong, otherSessions)) {
      assertThat(refused.status()).isEqualTo(403);
      assertThat(refused.body().get("detail").asText()).isEqualTo("missing or wrong CSRF token");
    }
    assertThat(admin.get("/api/v1/staff").body().findValuesAsText("name"))
        .doesNotContain("csrf-made");
    assertThat(actions("session.forgery")).isNotEmpty();

    CookieClient.Response allowed = browser.post("/api/v1/staff", newStaff, browser.csrf());
    assertThat(allowed.status()).isEqualTo(201);
  }

  @Test
  void aForeignOriginIsRefusedEvenWithTheCsrfToken() {
    CookieClient browser = CookieClient.signIn(base(), platform.platform().adminToken());
    Map<String, String> body = Map.of("name", "origin-made", "role", "viewer");

    CookieClient.Response foreign =
        browser.post(
            "/api/v1/staff", body, browser.csrfAnd(Map.of("Origin", "https://evil.example")));
    CookieClient.Response sandboxed =
        browser.post("/api/v1/staff", body, browser.csrfAnd(Map.of("Origin", "null")));

    assertThat(foreign.status()).isEqualTo(403);
    assertThat(foreign.body().get("detail").asText()).isEqualTo("cross-origin request refused");
    assertThat(sandboxed.status()).isEqualTo(403);
    CookieClient.Response sameOrigin =
        browser.post("/api/v1/staff", body, browser.csrfAnd(Map.of("Origin", base())));
    assertThat(sameOrigin.status()).isEqualTo(201);
  }

  @Test
  void anotherSiteCannotSignTheBrowserIn() {
    String token = admin.createStaff("cs-login-csrf", "viewer");

    ApiClient.Response foreign =
        admin
            .as(null)
            .post(
                "/api/v1/session",
                Map.of("token", token),
                Map.of("Origin", "https://evil.example"));
    ApiClient.Response sameOrigin =
        admin.as(null).post("/api/v1/session", Map.of("token", token), Map.of("Origin", base()));

    assertThat(foreign.status()).isEqualTo(403);
    assertThat(sameOrigin.status()).isEqualTo(201);
  }

  @Test
  void signingOutEndsTheSessionAndClearsTheCookie() {
    CookieClient browser =
        CookieClient.signIn(base(), admin.createStaff("cs-leaving", "technician"));

    assertThat(browser.delete("/api/v1/session", Map.of()).status()).isEqualTo(403);
    CookieClient.Response out = browser.delete("/api/v1/session", browser.csrf());

    assertThat(out.status()).isEqualTo(204);
    assertThat(out.setCookies())
        .anySatisfy(
            header -> assertThat(header).startsWith("aftercare_session=;").contains("Max-Age=0"));
    assertThat(browser.get("/api/v1/devices").status()).isEqualTo(401);
    assertThat(browser.get("/api/v1/session").status()).isEqualTo(401);
    assertThat(actions("session.end")).contains("cs-leaving");
  }

  @Test
  void aBadTokenIsRefusedAndTheAttemptsAuditedInAggregate() {
    ApiClient.Response refused =
        admin.as(null).post("/api/v1/session", Map.of("token", "acs_nobody.guess"));
    ApiClient.Response missing = admin.as(null).post("/api/v1/session", Map.of());

    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.contentType()).startsWith("application/problem+json");
    assertThat(missing.status()).isEqualTo(401);
    // Failed attempts are summed per source address and reported once per interval (1 s in
    // tests): one entry for both, never one per attempt.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                !admin
                    .get("/api/v1/audit?action=auth.failed&target=http&limit=1000")
                    .body()
                    .get("entries")
                    .isEmpty());
    JsonNode entries = admin.get("/api/v1/audit?action=auth.failed&target=http&limit=1000").body();
    assertThat(entries.get("entries"))
        .anySatisfy(
            entry -> {
              assertThat(entry.get("outcome").asText()).isEqualTo("denied");
              assertThat(entry.get("remoteAddress").asText()).isEqualTo("127.0.0.1");
              assertThat(entry.get("detail").get("failures").asLong()).isPositive();
            });
    assertThat(entries.toString()).doesNotContain("acs_nobody.guess");
  }

  @Test
  void signInAndItsAuditNeverShowTheToken() {
    String token = admin.createStaff("cs-audited", "viewer");

    CookieClient.signIn(base(), token);

    JsonNode entries = admin.get("/api/v1/audit?action=session.start&actor=cs-audited").body();
    assertThat(entries.get("entries")).hasSize(1);
    assertThat(entries.toString()).doesNotContain(token);
  }

  @Test
  void disablingStaffEndsTheirSessionsForGood() {
    CookieClient browser =
        CookieClient.signIn(base(), admin.createStaff("cs-disabled", "technician"));
    assertThat(browser.get("/api/v1/devices").status()).isEqualTo(200);

    admin.patch("/api/v1/staff/cs-disabled", Map.of("disabled", true));
    assertThat(browser.get("/api/v1/devices").status()).isEqualTo(401);

    admin.patch("/api/v1/staff/cs-disabled", Map.of("disabled", false));
    assertThat(browser.get("/api/v1/devices").status()).isEqualTo(401);
  }

  @Test
  void theRoleIsEnforcedForCookieSessions() {
    admin.provisionDevice("cs-cam", "camera");
    CookieClient viewer = CookieClient.signIn(base(), admin.createStaff("cs-viewer", "viewer"));

    CookieClient.Response command =
        viewer.post("/api/v1/devices/cs-cam/commands", Map.of("name", "identify"), viewer.csrf());

    assertThat(command.status()).isEqualTo(403);
    assertThat(admin.get("/api/v1/devices/cs-cam/commands").body().get("commands")).isEmpty();
  }

  @Test
  void aBearerRequestNeedsNoCsrfTokenAndHasNoSession() {
    assertThat(admin.post("/api/v1/staff", Map.of("name", "cs-bearer", "role", "viewer")).status())
        .isEqualTo(201);
    assertThat(admin.get("/api/v1/session").status()).isEqualTo(401);
    assertThat(admin.as(null).get("/api/v1/session").status()).isEqualTo(401);
  }

  @Test
  void aSessionOutlivesARestart() {
    CookieClient before =
        CookieClient.signIn(base(), admin.createStaff("cs-restart", "supervisor"));

    platform.restart();
    admin = platform.api();

    CookieClient.Response after = reconnected(before).get("/api/v1/session");
    assertThat(after.status()).isEqualTo(200);
    assertThat(after.body().get("csrfToken").asText()).isEqualTo(before.csrfToken());
  }

  @Test
  void onlyTheHashOfTheCookieIsStored() {
    CookieClient browser = CookieClient.signIn(base(), admin.createStaff("cs-hashed", "viewer"));
    String cookieValue = browser.cookieHeader().substring("aftercare_session=".length());

    assertThat(
            platform.count(
                "SELECT count(*) FROM staff_sessions WHERE staff_name = 'cs-hashed'"
                    + " AND id_hash = sha256(convert_to(?, 'UTF8'))",
                cookieValue))
        .isEqualTo(1);
    assertThat(
            platform.count(
                "SELECT count(*) FROM staff_sessions s WHERE strpos(s::text, ?) > 0", cookieValue))
        .isZero();
  }

  @Test
  void aSessionUnusedForTheIdleTimeoutIsOver() {
    CookieClient browser = CookieClient.signIn(base(), admin.createStaff("cs-idle", "viewer"));

    platform.execute(
        "UPDATE staff_sessions SET idle_expires_at = now() - interval '1 second'"
            + " WHERE staff_name = 'cs-idle'");

    assertThat(browser.get("/api/v1/devices").status()).isEqualTo(401);
  }

  @Test
  void aSessionIsOverAtItsAbsoluteEndHoweverBusy() {
    CookieClient browser = CookieClient.signIn(base(), admin.createStaff("cs-aged", "viewer"));

    platform.execute(
        "UPDATE staff_sessions SET expires_at = now() - interval '1 second'"
            + " WHERE staff_name = 'cs-aged'");

    assertThat(browser.get("/api/v1/devices").status()).isEqualTo(401);
  }

  @Test
  void useMovesTheIdleExpiryForwardButNeverPastTheAbsoluteEnd() {
    CookieClient browser = CookieClient.signIn(base(), admin.createStaff("cs-busy", "viewer"));
    platform.execute(
        "UPDATE staff_sessions SET last_seen_at = now() - interval '2 minutes',"
            + " idle_expires_at = now() + interval '1 minute', expires_at = now() + interval '1 hour'"
            + " WHERE staff_name = 'cs-busy'");

    assertThat(browser.get("/api/v1/devices").status()).isEqualTo(200);

    assertThat(
            platform.count(
                "SELECT count(*) FROM staff_sessions WHERE staff_name = 'cs-busy'"
                    + " AND idle_expires_at = expires_at"
                    + " AND last_seen_at > now() - interval '1 minute'"))
        .isEqualTo(1);
  }

  private static CookieClient reconnected(CookieClient browser) {
    return browser.at(base());
  }

  private static List<String> actions(String action) {
    return admin
        .get("/api/v1/audit?limit=1000&action=" + action)
        .body()
        .get("entries")
        .findValuesAsText("actor");
  }
}
