package io.aftercare.platform.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.TestPlatform;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Admins list staff accounts, change roles and disable accounts, through the REST API. */
class StaffAdministrationTest {

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
  void theListShowsEveryAccountWithoutItsToken() {
    admin.createStaff("list-viewer", "viewer");
    admin.createStaff("list-gone", "technician");
    admin.delete("/api/v1/staff/list-gone");

    JsonNode staff = admin.get("/api/v1/staff").body().get("staff");

    JsonNode viewer = find(staff, "list-viewer");
    assertThat(viewer.get("role").asText()).isEqualTo("viewer");
    assertThat(viewer.get("createdBy").asText()).isEqualTo("bootstrap-admin");
    assertThat(viewer.has("token")).isFalse();
    assertThat(find(staff, "list-gone").has("revokedAt")).isTrue();
  }

  @Test
  void aDisabledAccountsTokenStopsWorkingAtOnceAndWorksAgainWhenReEnabled() {
    ApiClient tech = admin.as(admin.createStaff("dis-tech", "technician"));
    assertThat(tech.get("/api/v1/devices").status()).isEqualTo(200);

    ApiClient.Response disabled = admin.patch("/api/v1/staff/dis-tech", Map.of("disabled", true));

    assertThat(disabled.status()).isEqualTo(200);
    assertThat(disabled.body().has("disabledAt")).isTrue();
    assertThat(tech.get("/api/v1/devices").status()).isEqualTo(401);

    admin.patch("/api/v1/staff/dis-tech", Map.of("disabled", false));
    assertThat(tech.get("/api/v1/devices").status()).isEqualTo(200);
    JsonNode entries = admin.get("/api/v1/audit?limit=1000").body().get("entries");
    assertThat(entries.findValuesAsText("action")).contains("staff.update");
  }

  @Test
  void aRoleChangeTakesEffectOnTheNextRequest() {
    ApiClient viewer = admin.as(admin.createStaff("role-viewer", "viewer"));
    assertThat(viewer.get("/api/v1/audit").status()).isEqualTo(403);

    ApiClient.Response promoted =
        admin.patch("/api/v1/staff/role-viewer", Map.of("role", "supervisor"));

    assertThat(promoted.status()).isEqualTo(200);
    assertThat(promoted.body().get("role").asText()).isEqualTo("supervisor");
    assertThat(viewer.get("/api/v1/audit").status()).isEqualTo(200);
  }

  @Test
  void onlyAdminsAdministerStaffAndBadChangesAreRefused() {
    ApiClient supervisor = admin.as(admin.createStaff("adm-sup", "supervisor"));
    ApiClient otherAdmin = admin.as(admin.createStaff("adm-other", "admin"));

    assertThat(supervisor.get("/api/v1/staff").status()).isEqualTo(403);
    assertThat(supervisor.patch("/api/v1/staff/adm-sup", Map.of("role", "admin")).status())
        .isEqualTo(403);
    ApiClient.Response badRole = admin.patch("/api/v1/staff/adm-sup", Map.of("role", "boss"));
    assertThat(badRole.status()).isEqualTo(400);
    assertThat(badRole.body().get("detail").asText()).contains("role");
    assertThat(admin.patch("/api/v1/staff/adm-sup", Map.of()).status()).isEqualTo(400);
    assertThat(admin.patch("/api/v1/staff/nobody", Map.of("disabled", true)).status())
        .isEqualTo(404);
    assertThat(otherAdmin.patch("/api/v1/staff/adm-other", Map.of("disabled", true)).status())
        .isEqualTo(409);
  }

  private static JsonNode find(JsonNode staff, String name) {
    for (JsonNode account : staff) {
      if (account.get("name").asText().equals(name)) {
        return account;
      }
    }
    throw new AssertionError("no account " + name + " in " + staff);
  }
}
