package io.aftercare.platform.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.bridge.testing.StandardWebhooks;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.TestHttp;
import io.aftercare.platform.testing.TestPlatform;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Promise 10 of docs/security.md: every input error is a 4xx problem+json, never a 500. For every
 * operation of the OpenAPI document, seeded random requests (valid and hostile path values, query
 * values and bodies) are sent as the admin to a real platform over HTTP; every answer must be below
 * 500, and every 4xx a problem with a title. Every method a path does not declare must be a 405
 * naming the declared ones in {@code Allow}.
 *
 * <p>The seed is fixed so that a run is repeatable; {@code -Dfuzz.seed=N} tries another one and
 * {@code -Dfuzz.tries=N} sets the requests per operation. A failure names the seed and the request.
 */
class RestApiFuzzTest {

  private static final long SEED = Long.getLong("fuzz.seed", 20261207L);
  private static final int TRIES = Integer.getInteger("fuzz.tries", 30);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String INBOUND_WEBHOOK = "/api/v1/bridge/inbound";
  private static final String CUSTOMER_CASE = "/api/v1/customer/case";

  private static TestPlatform platform;
  private static String base;
  private static String adminToken;
  private static List<String> knownIds;
  private static String customerToken;

  @BeforeAll
  static void start() {
    // The helpdesk's key, so that signed calls of the inbound webhook get past its signature check.
    platform =
        TestPlatform.start(Map.of("tickets.connector.webhookSecret", StandardWebhooks.SECRET));
    base = "http://127.0.0.1:" + platform.platform().httpPort();
    adminToken = platform.platform().adminToken();
    ApiClient admin = platform.api();
    admin.provisionFridge("fuzz-fridge-1", "C-fuzz-1", "standard");
    admin.createStaff("fuzz-tech", "technician");
    long ticket =
        admin.openCase(
            Map.of(
                "channel",
                "phone",
                "symptom",
                "the fridge is warm",
                "customerRef",
                "C-fuzz-1",
                "deviceId",
                "fuzz-fridge-1",
                "serviceType",
                "repair"));
    ApiClient.Response link = admin.post("/api/v1/tickets/" + ticket + "/customer-links", Map.of());
    assertThat(link.status()).as("customer link: %s", link).isEqualTo(201);
    customerToken = link.body().path("token").asText();
    knownIds = List.of("fuzz-fridge-1", "fuzz-tech", Long.toString(ticket), "1");
  }

  @AfterAll
  static void stop() {
    platform.close();
  }

  @TestFactory
  Stream<DynamicTest> everyOperationAnswersHostileInputWithoutA500() {
    OpenApiOperations document = new OpenApiOperations(new OpenApiRoutes().document());
    return document.all().stream()
        .map(
            operation ->
                dynamicTest(
                    operation.toString(),
                    () -> {
                      long seed = SEED ^ operation.toString().hashCode();
                      HostileInputs inputs = new HostileInputs(seed, knownIds);
                      List<String> failures = new ArrayList<>();
                      for (int i = 0; i < TRIES; i++) {
                        Sent sent = send(request(document, operation, inputs));
                        problemOf(sent).ifPresent(failures::add);
                      }
                      assertThat(failures)
                          .as("%s with seed %d (-Dfuzz.seed=%d)", operation, seed, SEED)
                          .isEmpty();
                    }));
  }

  @TestFactory
  Stream<DynamicTest> everyUndeclaredMethodIsA405NamingTheDeclaredOnes() {
    OpenApiOperations document = new OpenApiOperations(new OpenApiRoutes().document());
    return document.all().stream()
        .map(OpenApiOperations.Operation::path)
        .distinct()
        .map(
            path ->
                dynamicTest(
                    path,
                    () -> {
                      String uri = path.replaceAll("\\{[^}]+}", "1");
                      Set<String> declared = document.methods(uri);
                      for (String method : OpenApiOperations.METHODS) {
                        if (declared.contains(method)) {
                          continue;
                        }
                        Sent sent = send(new Request(method, uri, "{}"));
                        assertThat(sent.status()).as("%s %s", method, path).isEqualTo(405);
                        assertThat(sent.allow()).as("Allow of %s", path).isEqualTo(declared);
                        assertThat(sent.title()).as("title of the 405").isNotBlank();
                      }
                    }));
  }

  /** What was sent, for the failure message. */
  private record Request(String method, String uri, String body, Map<String, String> headers) {
    Request(String method, String uri, String body) {
      this(method, uri, body, Map.of());
    }

    @Override
    public String toString() {
      String shown = body == null ? "" : body.length() > 300 ? body.substring(0, 300) + "…" : body;
      return method + " " + uri + (body == null ? "" : " body " + shown);
    }
  }

  private record Sent(
      Request request, int status, String contentType, Set<String> allow, String title) {}

  private static Request request(
      OpenApiOperations document, OpenApiOperations.Operation operation, HostileInputs inputs) {
    String path = operation.path();
    for (OpenApiOperations.Parameter parameter : operation.pathParameters()) {
      String value = inputs.pathValue(parameter.schema());
      path = path.replace("{" + parameter.name() + "}", encode(value.isEmpty() ? "x" : value));
    }
    List<String> query = new ArrayList<>();
    for (OpenApiOperations.Parameter parameter : operation.queryParameters()) {
      if (inputs.chance(40)) {
        String value =
            parameter.name().equals("cursor") && inputs.chance(50)
                ? inputs.cursor()
                : inputs.queryValue(parameter.schema());
        query.add(parameter.name() + "=" + encode(value));
      }
    }
    if (inputs.chance(5)) {
      query.add("undeclared=" + encode(inputs.queryValue(JSON.createObjectNode())));
    }
    String uri = query.isEmpty() ? path : path + "?" + String.join("&", query);
    String body =
        operation.body() == null || inputs.chance(5)
            ? null
            : inputs.body(operation.body(), document::resolve);
    if (path.startsWith(CUSTOMER_CASE) && inputs.chance(80)) {
      // The customer's routes answer to the case link's token, not a staff token.
      return new Request(
          operation.method(), uri, body, Map.of("authorization", "Bearer " + customerToken));
    }
    if (path.equals(INBOUND_WEBHOOK) && body != null && inputs.chance(80)) {
      return new Request(operation.method(), uri, body, signed(body));
    }
    return new Request(operation.method(), uri, body);
  }

  /** The Standard Webhooks headers of a call the helpdesk signed now, so its body is read. */
  private static Map<String, String> signed(String body) {
    String id = "msg_" + UUID.randomUUID();
    long now = Instant.now().getEpochSecond();
    return Map.of(
        "webhook-id", id,
        "webhook-timestamp", Long.toString(now),
        "webhook-signature", StandardWebhooks.sign(StandardWebhooks.SECRET, id, now, body));
  }

  /** Every character but the unreserved ones percent-encoded, as UTF-8. */
  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static Sent send(Request request) {
    HttpRequest.Builder builder = TestHttp.request(URI.create(base + request.uri()));
    if (!request.headers().containsKey("authorization")) {
      builder.header("authorization", "Bearer " + adminToken);
    }
    request.headers().forEach(builder::header);
    if (request.body() == null) {
      builder.method(request.method(), HttpRequest.BodyPublishers.noBody());
    } else {
      builder
          .header("content-type", "application/json")
          .method(request.method(), HttpRequest.BodyPublishers.ofString(request.body()));
    }
    try {
      // The answer's body is read only when it is a problem: a 200 of GET /live is an endless
      // event stream.
      HttpResponse<InputStream> response =
          TestHttp.CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
      String contentType = response.headers().firstValue("content-type").orElse("");
      Set<String> allow = new TreeSet<>();
      response
          .headers()
          .firstValue("allow")
          .ifPresent(header -> allow.addAll(List.of(header.split(",\\s*"))));
      String title = null;
      try (InputStream body = response.body()) {
        if (contentType.startsWith("application/problem+json")) {
          title = JSON.readTree(body).path("title").asText(null);
        }
      }
      return new Sent(request, response.statusCode(), contentType, allow, title);
    } catch (IOException e) {
      throw new IllegalStateException(request + " got no answer", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Why the answer breaks the promise, if it does. */
  private static java.util.Optional<String> problemOf(Sent sent) {
    if (sent.status() >= 500) {
      return java.util.Optional.of(sent.status() + " for " + sent.request());
    }
    if (sent.status() >= 400
        && (!sent.contentType().startsWith("application/problem+json")
            || sent.title() == null
            || sent.title().isBlank())) {
      return java.util.Optional.of(
          sent.status() + " without a problem+json title for " + sent.request());
    }
    return java.util.Optional.empty();
  }
}
