package io.aftercare.platform.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.TestPlatform;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Saved views: each member's own, checked against the filters of the page's list route. */
class SavedViewsTest {

  private static TestPlatform platform;
  private static ApiClient ann;
  private static ApiClient bob;
  private static DeclaredProperties schemas;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start();
    ApiClient admin = platform.api();
    ann = admin.as(admin.createStaff("sv-ann", "viewer"));
    bob = admin.as(admin.createStaff("sv-bob", "technician"));
    schemas = new DeclaredProperties(admin.as(null).get("/api/v1/openapi.json").body());
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  private static ApiClient.Response save(ApiClient who, String name, String page, Object query) {
    return who.post("/api/v1/views", Map.of("name", name, "page", page, "query", query));
  }

  @Test
  void aMemberSavesListsAndDeletesTheirOwnViewsOnly() {
    ApiClient.Response saved =
        save(ann, "old cameras", "devices", Map.of("type", "camera", "firmware", "2.4.1"));
    assertThat(saved.status()).as(saved.toString()).isEqualTo(201);
    schemas.assertFits(saved, "/api/v1/views", "post");
    long id = saved.body().get("id").asLong();
    assertThat(save(ann, "critical", "alarms", Map.of("severity", "critical")).status())
        .isEqualTo(201);

    ApiClient.Response devices = ann.get("/api/v1/views?page=devices");
    schemas.assertFits(devices, "/api/v1/views", "get");
    assertThat(devices.body().get("views")).hasSize(1);
    JsonNode view = devices.body().at("/views/0");
    assertThat(view.get("name").asText()).isEqualTo("old cameras");
    assertThat(view.at("/query/firmware").asText()).isEqualTo("2.4.1");
    assertThat(ann.get("/api/v1/views").body().get("views")).hasSize(2);

    // Bob sees none of Ann's views, cannot delete them, and may use the same name.
    assertThat(bob.get("/api/v1/views").body().get("views")).isEmpty();
    assertThat(bob.delete("/api/v1/views/" + id).status()).isEqualTo(404);
    assertThat(save(bob, "old cameras", "devices", Map.of("type", "camera")).status())
        .isEqualTo(201);

    assertThat(save(ann, "old cameras", "devices", Map.of()).status()).isEqualTo(409);
    assertThat(ann.delete("/api/v1/views/" + id).status()).isEqualTo(204);
    assertThat(ann.get("/api/v1/views?page=devices").body().get("views")).isEmpty();
    assertThat(ann.delete("/api/v1/views/" + id).status()).isEqualTo(404);
    assertThat(bob.get("/api/v1/views?page=devices").body().get("views")).hasSize(1);
  }

  @Test
  void aViewHoldsOnlyFiltersItsPagesListRouteTakes() {
    ApiClient.Response unknown = save(ann, "colours", "devices", Map.of("colour", "red"));
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.body().get("detail").asText()).contains("'query.colour'");

    // A filter of another list is not one of this page's.
    assertThat(save(ann, "wrong page", "tickets", Map.of("firmware", "2.4.1")).status())
        .isEqualTo(400);
    assertThat(save(ann, "paging", "alarms", Map.of("cursor", "abc")).status()).isEqualTo(400);
    assertThat(save(ann, "not text", "devices", Map.of("online", true)).status()).isEqualTo(400);
    assertThat(save(ann, "no page", "kpis", Map.of()).status()).isEqualTo(400);
    assertThat(save(ann, " ", "devices", Map.of()).status()).isEqualTo(400);
    assertThat(
            save(ann, "mine", "alarms", Map.of("assignee", "sv-ann", "snoozed", "false")).status())
        .isEqualTo(201);
    assertThat(ann.get("/api/v1/views?page=kpis").status()).isEqualTo(400);
  }
}
