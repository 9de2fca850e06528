package io.aftercare.platform.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.TestPlatform;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Staff tokens over the real API: they expire, can be rotated (the old one stops working), the
 * bootstrap admin can be disabled for good, and staff cannot take the platform's own actor names.
 */
class StaffTokenLifecycleTest {

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

  @Test
  void aNewTokenExpiresAfterTheConfiguredLifetimeShownInTheStaffList() {
    ApiClient.Response created =
        admin.post("/api/v1/staff", Map.of("name", "tl-new", "role", "viewer"));

    Instant expiresAt = Instant.parse(created.body().get("expiresAt").asText());
    assertThat(expiresAt)
        .isBetween(
            Instant.now().plus(Duration.ofDays(89)), Instant.now().plus(Duration.ofDays(91)));
    JsonNode listed = admin.get("/api/v1/staff").body().get("staff");
    assertThat(listed)
        .anySatisfy(
            account -> {
              assertThat(account.get("name").asText()).isEqualTo("tl-new");
              assertThat(Instant.parse(account.get("expiresAt").asText())).isEqualTo(expiresAt);
            });
  }

  @Test
  void anExpiredTokenIsRefused() {
    try (TestPlatform shortLived =
        TestPlatform.start(Map.of("security.staffTokenLifetime", "1s"))) {
      ApiClient bootstrap = shortLived.api();
      String token = bootstrap.createStaff("tl-brief", "viewer");

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> bootstrap.as(token).get("/api/v1/devices").status() == 401);
      assertThat(bootstrap.as(token).get("/api/v1/devices").body().get("detail").asText())
          .contains("expired");
    }
  }

  @Test
  void rotationIssuesANewTokenAndTheOldOneStopsWorking() {
    String old = admin.createStaff("tl-rotated", "technician");

    ApiClient.Response rotated = admin.post("/api/v1/staff/tl-rotated/token", Map.of());

    assertThat(rotated.status()).isEqualTo(201);
    String fresh = rotated.body().get("token").asText();
    assertThat(fresh).isNotEqualTo(old);
    assertThat(rotated.body().get("expiresAt").asText()).isNotBlank();
    assertThat(admin.as(old).get("/api/v1/devices").status()).isEqualTo(401);
    assertThat(admin.as(fresh).get("/api/v1/devices").status()).isEqualTo(200);
    JsonNode audit =
        admin.get("/api/v1/audit?action=staff.token.rotate&target=staff/tl-rotated").body();
    assertThat(audit.get("entries")).hasSize(1);
    assertThat(audit.toString()).doesNotContain(fresh).doesNotContain(old);
  }

  @Test
  void staffRotateTheirOwnTokenButNotSomeoneElses() {
    ApiClient viewer = admin.as(admin.createStaff("tl-self", "viewer"));
    admin.createStaff("tl-other", "viewer");

    ApiClient.Response own = viewer.post("/api/v1/staff/tl-self/token", Map.of());
    ApiClient.Response others =
        admin.as(own.body().get("token").asText()).post("/api/v1/staff/tl-other/token", Map.of());

    assertThat(own.status()).isEqualTo(201);
    assertThat(others.status()).isEqualTo(403);
    assertThat(admin.post("/api/v1/staff/nobody-here/token", Map.of()).status()).isEqualTo(404);
  }

  @Test
  void staffCannotBeNamedLikeThePlatformsOwnActors() {
    for (String reserved :
        new String[] {"diagnostics-engine", "bridge", "system", "Bridge", "anonymous"}) {
      ApiClient.Response refused =
          admin.post("/api/v1/staff", Map.of("name", reserved, "role", "viewer"));
      assertThat(refused.status()).as(reserved).isEqualTo(400);
      assertThat(refused.body().get("detail").asText()).contains("name").contains("reserved");
    }
  }

  @Test
  void theBootstrapAdminCanBeDisabledOnceAnotherAdminExistsAndStaysDisabled() {
    try (TestPlatform own = TestPlatform.start()) {
      ApiClient bootstrap = own.api();

      ApiClient.Response alone = bootstrap.delete("/api/v1/staff/bootstrap-admin");
      assertThat(alone.status()).as("no other admin yet").isEqualTo(409);

      String successorToken = bootstrap.createStaff("tl-admin", "admin");
      ApiClient successor = bootstrap.as(successorToken);
      assertThat(successor.delete("/api/v1/staff/bootstrap-admin").status()).isEqualTo(204);
      assertThat(bootstrap.get("/api/v1/devices").status()).isEqualTo(401);
      assertThat(
              successor
                  .get("/api/v1/audit?action=bootstrap-admin.disable&actor=tl-admin")
                  .body()
                  .get("entries"))
          .hasSize(1);

      own.restart();
      ApiClient afterRestart = own.api();
      assertThat(afterRestart.get("/api/v1/devices").status()).isEqualTo(401);
      int port = own.platform().httpPort();
      ApiClient successorNow = new ApiClient("http://127.0.0.1:" + port, successorToken);
      assertThat(successorNow.get("/api/v1/devices").status()).isEqualTo(200);

      // An operator locked out enables it again with one start with the setting.
      own.restart(Map.of("security.reenableBootstrapAdmin", "true"));
      ApiClient reenabled = own.api();
      assertThat(reenabled.get("/api/v1/devices").status()).isEqualTo(200);
      assertThat(
              reenabled
                  .get("/api/v1/audit?action=bootstrap-admin.reenable&actor=system")
                  .body()
                  .get("entries"))
          .hasSize(1);
    }
  }
}
