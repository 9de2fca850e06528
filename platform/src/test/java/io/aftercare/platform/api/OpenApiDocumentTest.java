package io.aftercare.platform.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.CoapDevice;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.TestHttp;
import io.aftercare.platform.testing.TestPlatform;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document: served without a token, in step with the routes actually mounted, and
 * declaring the properties real answers have.
 */
class OpenApiDocumentTest {

  private static final Set<String> OPERATIONS =
      Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
  private static final Set<String> ROLES = Set.of("viewer", "technician", "supervisor", "admin");

  private static TestPlatform platform;
  private static ApiClient admin;
  private static JsonNode document;
  private static DeclaredProperties schemas;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start();
    admin = platform.api();
    ApiClient.Response served = admin.as(null).get("/api/v1/openapi.json");
    assertThat(served.status()).isEqualTo(200);
    document = served.body();
    schemas = new DeclaredProperties(document);
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void bothFormsAreServedWithoutATokenAndDescribeBearerAuthentication() throws Exception {
    ApiClient.Response json = admin.as(null).get("/api/v1/openapi.json");
    assertThat(json.contentType()).startsWith("application/json");
    assertThat(json.body().get("openapi").asText()).startsWith("3.0.");
    JsonNode bearer = json.body().at("/components/securitySchemes/bearerAuth");
    assertThat(bearer.get("type").asText()).isEqualTo("http");
    assertThat(bearer.get("scheme").asText()).isEqualTo("bearer");
    assertThat(json.body().at("/security/0").has("bearerAuth")).isTrue();

    HttpResponse<String> yaml = yamlThrough(TestHttp.CLIENT);
    assertThat(yaml.statusCode()).isEqualTo(200);
    assertThat(yaml.headers().firstValue("content-type")).hasValue("application/yaml");
    assertThat(new YAMLMapper().readTree(yaml.body())).isEqualTo(json.body());
  }

  @Test
  void aClientOfferingACleartextHttp2UpgradeGetsTheWholeDocumentOverHttp11() throws Exception {
    // The JDK client's default offers "Upgrade: h2c"; the server must answer plainly, not switch.
    HttpResponse<String> yaml = yamlThrough(HttpClient.newHttpClient());
    assertThat(yaml.statusCode()).isEqualTo(200);
    assertThat(yaml.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(new YAMLMapper().readTree(yaml.body())).isEqualTo(document);
  }

  private static HttpResponse<String> yamlThrough(HttpClient client) throws Exception {
    URI uri =
        URI.create("http://127.0.0.1:" + platform.platform().httpPort() + "/api/v1/openapi.yaml");
    return client.send(
        TestHttp.request(uri).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  @Test
  void everyMountedRouteIsDocumentedAndEveryDocumentedRouteIsMounted() {
    Set<String> mounted = new TreeSet<>();
    collect(platform.platform().api().router(), "", mounted);
    Set<String> documented = new TreeSet<>();
    document
        .get("paths")
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .fieldNames()
                    .forEachRemaining(
                        method -> {
                          if (OPERATIONS.contains(method)) {
                            documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                          }
                        }));

    assertThat(mounted).as("routes mounted on the router").isNotEmpty();
    assertThat(difference(mounted, documented)).as("mounted but not in openapi.yaml").isEmpty();
    assertThat(difference(documented, mounted)).as("in openapi.yaml but not mounted").isEmpty();
  }

  @Test
  void everyOperationNamesItsRoleOrOptsOutOfBearerAuthAndEveryRefResolves() {
    document
        .get("paths")
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .properties()
                    .forEach(
                        operation -> {
                          JsonNode op = operation.getValue();
                          boolean open = op.has("security") && op.get("security").isEmpty();
                          boolean customerLink = op.path("security").path(0).has("customerLink");
                          if (customerLink) {
                            // The customer's own routes: a case link token, no staff role.
                            assertThat(op.path("x-aftercare-role").asText())
                                .as(operation.getKey() + " " + path.getKey())
                                .isEqualTo("customer");
                          } else if (!open) {
                            assertThat(op.path("x-aftercare-role").asText())
                                .as(operation.getKey() + " " + path.getKey())
                                .isIn(ROLES);
                          }
                        }));
    for (JsonNode ref : refs(document)) {
      schemas.resolve(ref);
    }
    // A YAML slip, such as an unquoted comma in a flow mapping, leaves a key without a value.
    assertThat(nulls(document, "")).as("keys without a value").isEmpty();

    JsonNode inbound = document.at("/paths/~1api~1v1~1bridge~1inbound/post");
    assertThat(inbound.get("security")).isEmpty();
    List<String> headers = new ArrayList<>();
    inbound
        .get("parameters")
        .forEach(p -> headers.add(p.get("in").asText() + " " + p.get("name").asText()));
    assertThat(headers)
        .contains("header webhook-id", "header webhook-timestamp", "header webhook-signature");
    JsonNode submit = document.at("/paths/~1api~1v1~1devices~1{id}~1commands/post/parameters");
    assertThat(submit.findValuesAsText("name")).contains("Idempotency-Key");
  }

  @Test
  void deviceAlarmCommandAndDiagnosticsAnswersFitTheirSchemas() throws Exception {
    Map<String, Object> device =
        Map.of(
            "id", "oa-fridge",
            "type", "fridge",
            "model", "F-200",
            "firmware", "1.0.0",
            "homeId", "home-1",
            "customerRef", "cust-1",
            "customerTier", "premium",
            "soldOn", "2025-06-01");
    ApiClient.Response provisioned = admin.post("/api/v1/devices", device);
    schemas.assertFits(provisioned, "/api/v1/devices", "post");
    raiseFridgeWarmAlarm(provisioned.body().get("token").asText());

    schemas.assertFits(admin.get("/api/v1/devices/oa-fridge"), "/api/v1/devices/{id}", "get");
    assertThat(admin.get("/api/v1/devices/oa-fridge").body().get("openAlarms")).isNotEmpty();
    schemas.assertFits(admin.get("/api/v1/alarms?deviceId=oa-fridge"), "/api/v1/alarms", "get");
    schemas.assertFits(admin.get("/api/v1/alarms?severity=loud"), "/api/v1/alarms", "get");
    schemas.assertFits(admin.as("nonsense").get("/api/v1/alarms"), "/api/v1/alarms", "get");
    schemas.assertFits(admin.get("/api/v1/devices"), "/api/v1/devices", "get");
    String since = "from=" + Instant.now().minus(Duration.ofHours(3));
    schemas.assertFits(
        admin.get("/api/v1/devices/oa-fridge/telemetry?" + since),
        "/api/v1/devices/{id}/telemetry",
        "get");
    schemas.assertFits(
        admin.get("/api/v1/devices/oa-fridge/telemetry?bucket=10m&" + since),
        "/api/v1/devices/{id}/telemetry",
        "get");

    ApiClient.Response submitted =
        admin.post(
            "/api/v1/devices/oa-fridge/commands",
            Map.of("name", "identify", "params", Map.of("seconds", 5), "ttlSeconds", 60),
            Map.of("Idempotency-Key", "oa-1"));
    schemas.assertFits(submitted, "/api/v1/devices/{id}/commands", "post");
    String commandId = submitted.body().get("commandId").asText();
    schemas.assertFits(
        admin.get("/api/v1/commands/" + commandId), "/api/v1/commands/{commandId}", "get");
    schemas.assertFits(
        admin.get("/api/v1/devices/oa-fridge/commands"), "/api/v1/devices/{id}/commands", "get");

    schemas.assertFits(
        admin.get("/api/v1/devices/oa-fridge/events?" + since),
        "/api/v1/devices/{id}/events",
        "get");

    long alarmId =
        admin.get("/api/v1/alarms?deviceId=oa-fridge").body().at("/alarms/0/id").asLong();
    schemas.assertFits(admin.get("/api/v1/alarms/" + alarmId), "/api/v1/alarms/{alarmId}", "get");
    schemas.assertFits(
        admin.post("/api/v1/alarms/" + alarmId + "/ack", "{}"),
        "/api/v1/alarms/{alarmId}/ack",
        "post");
    schemas.assertFits(
        admin.post("/api/v1/alarms/" + alarmId + "/ack", "{}"),
        "/api/v1/alarms/{alarmId}/ack",
        "post");

    ApiClient.Response session = admin.post("/api/v1/devices/oa-fridge/diagnostics", "{}");
    schemas.assertFits(session, "/api/v1/devices/{id}/diagnostics", "post");
    String sessionPath = "/api/v1/diagnostics/" + session.body().get("diagnosticId").asText();
    await().atMost(Duration.ofSeconds(20)).until(() -> admin.get(sessionPath).body().has("report"));
    schemas.assertFits(admin.get(sessionPath), "/api/v1/diagnostics/{diagnosticId}", "get");

    schemas.assertFits(admin.get("/api/v1/audit"), "/api/v1/audit", "get");
    schemas.assertFits(admin.get("/api/v1/rules"), "/api/v1/rules", "get");
    schemas.assertFits(admin.post("/api/v1/rules/reload", "{}"), "/api/v1/rules/reload", "post");
    schemas.assertFits(
        admin.post("/api/v1/staff", Map.of("name", "oa-tech", "role", "technician")),
        "/api/v1/staff",
        "post");
    schemas.assertFits(
        admin.get("/api/v1/bridge/dead-letters"), "/api/v1/bridge/dead-letters", "get");
    schemas.assertFits(admin.get("/health"), "/health", "get");
  }

  @Test
  void aDeviceReportingOverDtlsIsShownAsCoapsAndTheSchemaListsEveryProtocol() throws Exception {
    String plainToken = admin.provisionDevice("oa-plug", "smart_plug");
    String secureKey = admin.provisionDeviceCredentials("oa-lock", "door_lock").dtlsKey();
    String telemetry = "{\"metrics\":{\"battery_pct\":80}}";
    try (CoapDevice plain = CoapDevice.plain(platform.coapUri());
        CoapDevice secure = CoapDevice.dtls(platform.coapsUri(), "oa-lock", secureKey)) {
      assertThat(
              plain.postJson("/devices/oa-plug/telemetry?token=" + plainToken, telemetry).getCode())
          .isEqualTo(ResponseCode.CHANGED);
      assertThat(secure.postJson("/devices/oa-lock/telemetry", telemetry).getCode())
          .isEqualTo(ResponseCode.CHANGED);
    }
    // Online is recorded after the commit, off the request's path.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> admin.get("/api/v1/devices/oa-lock").body().has("protocol"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> admin.get("/api/v1/devices/oa-plug").body().has("protocol"));

    assertThat(admin.get("/api/v1/devices/oa-lock").body().get("protocol").asText())
        .isEqualTo("coaps");
    assertThat(admin.get("/api/v1/devices/oa-plug").body().get("protocol").asText())
        .isEqualTo("coap");
    schemas.assertFits(admin.get("/api/v1/devices/oa-lock"), "/api/v1/devices/{id}", "get");
    assertThat(document.at("/components/schemas/Device/properties/protocol/enum").toString())
        .isEqualTo("[\"mqtt\",\"coap\",\"coaps\"]");
  }

  @Test
  void ticketAnswersFitTheirSchemas() throws Exception {
    String token = admin.provisionDevice("oa-camera", "camera");
    MqttClient camera = PahoDevices.v3(platform.mqttUri(), "oa-camera", token);
    try {
      failEveryCommand(camera);
      // wifi_flapping: weak signal and three drops; its remedy fails, so a ticket is opened.
      Instant now = Instant.now();
      publish(
          camera,
          "telemetry",
          "{\"ts\":\"" + now.minusSeconds(300) + "\",\"metrics\":{\"wifi_rssi_dbm\":-88}}");
      for (int drop = 3; drop >= 1; drop--) {
        publish(
            camera,
            "events",
            "{\"ts\":\""
                + now.minusSeconds(60L * drop)
                + "\",\"type\":\"wifi\",\"code\":\"W_DISCONNECTED\",\"message\":\"lost\","
                + "\"data\":{\"reason\":\"beacon\"}}");
      }
      await()
          .atMost(Duration.ofSeconds(40))
          .until(
              () ->
                  !admin.get("/api/v1/tickets?deviceId=oa-camera").body().get("tickets").isEmpty());
    } finally {
      camera.disconnect();
      camera.close();
    }

    ApiClient.Response tickets = admin.get("/api/v1/tickets?deviceId=oa-camera");
    schemas.assertFits(tickets, "/api/v1/tickets", "get");
    long id = tickets.body().at("/tickets/0/id").asLong();
    schemas.assertFits(admin.get("/api/v1/tickets/" + id), "/api/v1/tickets/{id}", "get");
    String transitions = "/api/v1/tickets/" + id + "/transitions";
    schemas.assertFits(
        admin.post(transitions, Map.of("to", "acknowledged", "note", "called the customer")),
        "/api/v1/tickets/{id}/transitions",
        "post");
    admin.createStaff("tina", "technician");
    schemas.assertFits(
        admin.put(
            "/api/v1/technicians/tina",
            Map.of(
                "skills",
                List.of("camera"),
                "region",
                "north",
                "certification",
                Map.of("name", "L2", "expiresOn", "2999-12-31"))),
        "/api/v1/technicians/{name}",
        "put");
    schemas.assertFits(admin.get("/api/v1/technicians/tina"), "/api/v1/technicians/{name}", "get");
    schemas.assertFits(
        admin.get("/api/v1/technicians?deviceType=camera"), "/api/v1/technicians", "get");
    schemas.assertFits(
        admin.post(
            transitions, Map.of("to", "dispatched", "assignee", "tina", "channel", "remote")),
        "/api/v1/tickets/{id}/transitions",
        "post");
    Instant visit = Instant.now().plus(Duration.ofDays(1));
    ApiClient.Response booked =
        admin.post(
            "/api/v1/tickets/" + id + "/appointments",
            Map.of(
                "technician",
                "tina",
                "startsAt",
                visit.toString(),
                "endsAt",
                visit.plus(Duration.ofHours(1)).toString(),
                "addressRef",
                "A-1"));
    assertThat(booked.status()).as(booked.toString()).isEqualTo(201);
    schemas.assertFits(booked, "/api/v1/tickets/{id}/appointments", "post");
    schemas.assertFits(
        admin.post(
            "/api/v1/appointments/" + booked.body().path("id").asLong() + "/reschedule",
            Map.of(
                "startsAt", visit.plus(Duration.ofHours(2)).toString(),
                "endsAt", visit.plus(Duration.ofHours(3)).toString())),
        "/api/v1/appointments/{id}/reschedule",
        "post");
    schemas.assertFits(
        admin.post(
            "/api/v1/appointments/" + booked.body().path("id").asLong() + "/cancel",
            Map.of("reason", "already moved")),
        "/api/v1/appointments/{id}/cancel",
        "post");
    // A confirmed one for the customer's view to show.
    ApiClient.Response confirmed =
        admin.post(
            "/api/v1/tickets/" + id + "/appointments",
            Map.of(
                "technician",
                "tina",
                "startsAt",
                visit.plus(Duration.ofHours(4)).toString(),
                "endsAt",
                visit.plus(Duration.ofHours(5)).toString(),
                "addressRef",
                "A-1"));
    assertThat(confirmed.status()).as(confirmed.toString()).isEqualTo(201);
    admin.post(transitions, Map.of("to", "in_progress"));
    ApiClient.Response requested =
        admin.post(
            "/api/v1/tickets/" + id + "/part-requests",
            Map.of("partNumber", "ANT-3", "quantity", 1, "model", "A"));
    assertThat(requested.status()).as(requested.toString()).isEqualTo(201);
    schemas.assertFits(requested, "/api/v1/tickets/{id}/part-requests", "post");
    schemas.assertFits(
        admin.post("/api/v1/part-requests/" + requested.body().path("id").asLong() + "/issue", ""),
        "/api/v1/part-requests/{id}/issue",
        "post");
    schemas.assertFits(admin.get("/api/v1/parts/issues"), "/api/v1/parts/issues", "get");
    schemas.assertFits(admin.get("/api/v1/tickets/" + id), "/api/v1/tickets/{id}", "get");
    schemas.assertFits(
        admin.post(transitions, Map.of("to", "closed", "satisfaction", 5)),
        "/api/v1/tickets/{id}/transitions",
        "post");
    schemas.assertFits(
        admin.post(transitions, Map.of("to", "bogus")), "/api/v1/tickets/{id}/transitions", "post");
    customerSideAnswersFitTheirSchemas(id);
    schemas.assertFits(
        admin.get("/api/v1/devices/oa-camera/events"), "/api/v1/devices/{id}/events", "get");
    schemas.assertFits(admin.get("/api/v1/kpis"), "/api/v1/kpis", "get");
    schemas.assertFits(admin.get("/api/v1/kpis?groupBy=rule"), "/api/v1/kpis", "get");
    schemas.assertFits(
        admin.get("/api/v1/kpis/series?groupBy=deviceType"), "/api/v1/kpis/series", "get");
    schemas.assertFits(
        admin.get("/api/v1/kpis/series?from=2026-11-02&to=2026-11-04"),
        "/api/v1/kpis/series",
        "get");
    schemas.assertFits(
        admin.as(null).post("/api/v1/bridge/inbound", Map.of("ticketId", id, "to", "resolved")),
        "/api/v1/bridge/inbound",
        "post");
  }

  /** Quotes, the customer's link and routes, acceptance and follow-up on a dispatched ticket. */
  private static void customerSideAnswersFitTheirSchemas(long id) {
    String ticket = "/api/v1/tickets/" + id;
    ApiClient.Response quote =
        admin.post(
            ticket + "/quotes",
            Map.of(
                "lines",
                List.of(Map.of("partNumber", "CAM-LENS", "quantity", 1, "unitPrice", 12.5)),
                "labour",
                30,
                "estimatedMinutes",
                45,
                "currency",
                "EUR"));
    schemas.assertFits(quote, "/api/v1/tickets/{id}/quotes", "post");
    schemas.assertFits(
        admin.post(ticket + "/quotes", Map.of("currency", "euro")),
        "/api/v1/tickets/{id}/quotes",
        "post");
    ApiClient.Response link = admin.post(ticket + "/customer-links", Map.of("validFor", "2d"));
    schemas.assertFits(link, "/api/v1/tickets/{id}/customer-links", "post");
    ApiClient customer = admin.as(link.body().get("token").asText());
    String caseRoute = "/api/v1/customer/case";
    ApiClient.Response view = customer.get(caseRoute);
    assertThat(view.body().has("appointment")).as(view.toString()).isTrue();
    schemas.assertFits(view, caseRoute, "get");
    schemas.assertFits(admin.as(null).get(caseRoute), caseRoute, "get");
    schemas.assertFits(
        customer.post(
            caseRoute + "/quote-decision",
            Map.of("quoteId", quote.body().get("id").asLong(), "decision", "accept")),
        caseRoute + "/quote-decision",
        "post");
    schemas.assertFits(
        customer.post(caseRoute + "/acceptance", Map.of("accepted", true)),
        caseRoute + "/acceptance",
        "post");
    schemas.assertFits(
        customer.post(caseRoute + "/satisfaction", Map.of("score", 5, "category", "overall")),
        caseRoute + "/satisfaction",
        "post");
    schemas.assertFits(
        admin.post(ticket + "/acceptance", Map.of("accepted", true)),
        "/api/v1/tickets/{id}/acceptance",
        "post");
    schemas.assertFits(
        admin.post(ticket + "/follow-up/attempts", Map.of("outcome", "reached")),
        "/api/v1/tickets/{id}/follow-up/attempts",
        "post");
    schemas.assertFits(admin.get(ticket), "/api/v1/tickets/{id}", "get");
    assertThat(
            admin.delete(ticket + "/customer-links/" + link.body().get("linkId").asText()).status())
        .isEqualTo(204);
  }

  /** Answers every command the camera receives with {@code failed}, as a broken device would. */
  private static void failEveryCommand(MqttClient camera) throws Exception {
    camera.subscribe(
        "devices/oa-camera/commands",
        1,
        (topic, message) -> {
          String commandId =
              new ObjectMapper().readTree(message.getPayload()).get("commandId").asText();
          // Paho forbids publishing from its callback thread.
          new Thread(
                  () ->
                      publish(
                          camera,
                          "commands/result",
                          "{\"commandId\":\""
                              + commandId
                              + "\",\"status\":\"failed\",\"output\":{\"note\":\"no\"}}"))
              .start();
        });
  }

  private static void publish(MqttClient device, String suffix, String json) {
    try {
      device.publish(
          "devices/" + device.getClientId() + "/" + suffix,
          json.getBytes(StandardCharsets.UTF_8),
          1,
          false);
    } catch (MqttException e) {
      throw new IllegalStateException(e);
    }
  }

  /** fridge_warm: 9.5 °C with the door closed for 40 minutes, beyond the rule's 30. */
  private static void raiseFridgeWarmAlarm(String token) throws Exception {
    MqttClient fridge = PahoDevices.v3(platform.mqttUri(), "oa-fridge", token);
    try {
      Instant t0 = Instant.now().minus(Duration.ofHours(2));
      for (int minute = 0; minute <= 40; minute += 5) {
        String telemetry =
            "{\"ts\":\""
                + t0.plusSeconds(minute * 60L)
                + "\",\"metrics\":{\"fridge_temp_c\":9.5,\"door_open\":false}}";
        publish(fridge, "telemetry", telemetry);
      }
      publish(
          fridge,
          "events",
          "{\"ts\":\"" + t0 + "\",\"type\":\"door\",\"code\":\"D_OPEN\",\"data\":{\"seconds\":3}}");
      await()
          .atMost(Duration.ofSeconds(15))
          .until(
              () -> !admin.get("/api/v1/alarms?deviceId=oa-fridge").body().get("alarms").isEmpty());
    } finally {
      fridge.disconnect();
      fridge.close();
    }
  }

  /** (method path) of each route with a method, {@code :param} written {@code {param}}. */
  private static void collect(Router router, String prefix, Set<String> into) {
    for (Route route : router.getRoutes()) {
      String path = route.getPath();
      if (route.getSubRouter() != null) {
        collect(route.getSubRouter(), prefix + path.replaceAll("/$", ""), into);
      } else if (path != null && route.methods() != null && !route.methods().isEmpty()) {
        for (HttpMethod method : route.methods()) {
          into.add(method.name() + " " + prefix + path.replaceAll(":(\\w+)", "{$1}"));
        }
      }
    }
  }

  private static Set<String> difference(Set<String> these, Set<String> those) {
    Set<String> left = new TreeSet<>(these);
    left.removeAll(those);
    return left;
  }

  /** Where the document has null values, as JSON pointers. */
  private static List<String> nulls(JsonNode node, String at) {
    List<String> found = new ArrayList<>();
    if (node.isNull()) {
      found.add(at);
    } else if (node.isObject()) {
      node.properties()
          .forEach(field -> found.addAll(nulls(field.getValue(), at + "/" + field.getKey())));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        found.addAll(nulls(node.get(i), at + "/" + i));
      }
    }
    return found;
  }

  private static List<JsonNode> refs(JsonNode node) {
    List<JsonNode> found = new ArrayList<>();
    if (node.has("$ref")) {
      found.add(node);
    }
    node.forEach(child -> found.addAll(refs(child)));
    return found;
  }
}
