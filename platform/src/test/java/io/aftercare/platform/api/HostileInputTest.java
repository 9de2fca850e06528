package io.aftercare.platform.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.TestHttp;
import io.aftercare.platform.testing.TestPlatform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The 500s the security trial reproduced, each now a 400 problem naming what is wrong: bodies that
 * are not JSON objects, NUL characters, and times, buckets and limits that overflow.
 */
class HostileInputTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static TestPlatform platform;
  private static ApiClient admin;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start();
    admin = platform.api();
    admin.provisionFridge("hostile-fridge", "C-hostile", "standard");
  }

  @AfterAll
  static void stop() {
    platform.close();
  }

  /** What came back: status and the problem's detail. */
  private record Answer(int status, String contentType, JsonNode body) {
    String detail() {
      return body.path("detail").asText();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"null", "[]", "\"a string\"", "42", "true"})
  void aBodyThatIsNotAJsonObjectIsA400OnEveryKindOfWrite(String body) {
    for (String[] write :
        new String[][] {
          {"POST", "/api/v1/devices"},
          {"PATCH", "/api/v1/devices/hostile-fridge"},
          {"POST", "/api/v1/devices/hostile-fridge/commands"},
          {"POST", "/api/v1/tickets"},
          {"POST", "/api/v1/staff"},
          {"PUT", "/api/v1/technicians/nobody"},
          {"POST", "/api/v1/bulk-commands/preview"},
          {"POST", "/api/v1/alarms/acknowledgements"},
          {"POST", "/api/v1/session"},
        }) {
      Answer answer = send(write[0], write[1], body);
      assertThat(answer.status()).as("%s %s with %s", write[0], write[1], body).isEqualTo(400);
      assertThat(answer.contentType()).startsWith("application/problem+json");
      assertThat(answer.detail()).isEqualTo("the body must be a JSON object");
    }
  }

  @Test
  void aNulInAPathParameterIsA400NamingIt() {
    Answer answer = send("GET", "/api/v1/devices/hostile%00fridge", null);

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.detail()).startsWith("path parameter 'id' must not contain a NUL character");
  }

  @Test
  void aNulInAQueryValueIsA400NamingIt() {
    Answer answer = send("GET", "/api/v1/devices?type=fri%00dge", null);

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.detail()).startsWith("query parameter 'type' must not contain a NUL");
  }

  @Test
  void aNulInAJsonStringIsA400NamingTheField() {
    Answer top = send("POST", "/api/v1/devices", "{\"id\": \"d-1\", \"type\": \"fri\\u0000dge\"}");
    Answer nested =
        send(
            "PUT",
            "/api/v1/technicians/nobody",
            "{\"skills\": [\"fridge\", \"ov\\u0000en\"], \"certification\": {\"name\": \"L1\","
                + " \"expiresOn\": \"2999-12-31\"}}");

    assertThat(top.status()).isEqualTo(400);
    assertThat(top.detail()).startsWith("field 'type' must not contain a NUL character");
    assertThat(nested.status()).isEqualTo(400);
    assertThat(nested.detail()).startsWith("field 'skills[1]' must not contain a NUL character");
  }

  @ParameterizedTest
  @CsvSource({
    "/api/v1/devices/hostile-fridge/telemetry?from=%2B999999999-12-31T23:59:59Z, from",
    "/api/v1/devices/hostile-fridge/telemetry?to=-999999999-01-01T00:00:00Z, to",
    "/api/v1/devices/hostile-fridge/telemetry?to=9223372036854775807, to",
    "/api/v1/devices/hostile-fridge/telemetry?to=99999999999999999999, to",
    "/api/v1/devices/hostile-fridge/telemetry?bucket=P999999999D, bucket",
    "/api/v1/devices/hostile-fridge/telemetry?bucket=999999999d, bucket",
    "/api/v1/devices/hostile-fridge/telemetry?limit=99999999999999999999, limit",
    "/api/v1/devices/hostile-fridge/events?from=%2B999999999-12-31T23:59:59Z, from",
    "/api/v1/audit?to=%2B999999999-12-31T23:59:59Z, to",
    "/api/v1/kpis?from=%2B999999999-12-31T23:59:59Z, from",
    "/api/v1/kpis/series?to=%2B999999999-12-31, to",
    "/api/v1/fleet/health-series?groupBy=model&from=-999999999-01-01, from",
    "/api/v1/tickets/export?from=%2B999999999-12-31T23:59:59Z, from",
  })
  void overflowingTimesBucketsAndLimitsAre400sNamingTheParameter(String uri, String parameter) {
    Answer answer = send("GET", uri, null);

    assertThat(answer.status()).as(uri).isEqualTo(400);
    assertThat(answer.contentType()).startsWith("application/problem+json");
    assertThat(answer.detail()).startsWith("query parameter '" + parameter + "' must be");
  }

  @Test
  void aBodyDateTheDatabaseCannotHoldIsA400NamingTheField() {
    Answer answer =
        send(
            "PUT",
            "/api/v1/technicians/nobody",
            "{\"skills\": [\"fridge\"], \"certification\": {\"name\": \"L1\","
                + " \"expiresOn\": \"+999999999-12-31\"}}");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.detail()).contains("'certification.expiresOn'");
  }

  @Test
  void aCraftedCursorWithANulIsA400() {
    String cursor =
        java.util.Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("[\"newest\",\"\",\"a\\u0000b\"]".getBytes());

    Answer answer = send("GET", "/api/v1/devices/hostile-fridge/commands?cursor=" + cursor, null);

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.detail()).startsWith("query parameter 'cursor'");
  }

  /** Encodings the JDK client refuses to send, written on a socket as a scanner would. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "/api/v1/devices?type=%zz",
        "/api/v1/devices?type=%",
        "/api/v1/devices/hostile-fridge/telemetry?to=%zz",
        "/api/v1/devices/%zz",
        "/api/v1/devices/%zz/telemetry",
        "/api/v1/devices/abc%",
        "/api/v1/devices/%C3%28",
        "/api/v1/devices/hostile-fridge/telemetry?from=%FF%FE"
      })
  void malformedPercentEncodingIsA4xxProblem(String target) throws IOException {
    String answer = raw(target);
    int status = Integer.parseInt(answer.substring(9, 12));

    assertThat(status).as("%s: %s", target, answer).isBetween(400, 499);
    assertThat(answer.toLowerCase(java.util.Locale.ROOT))
        .as(target)
        .contains("content-type: application/problem+json");
  }

  /** The whole answer to a GET of {@code target} written on a socket as-is. */
  private static String raw(String target) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", platform.platform().httpPort())) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              ("GET "
                      + target
                      + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                      + platform.platform().adminToken()
                      + "\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void aRequestLineTooLongForTheServerIsA414Problem() throws IOException {
    String answer = raw("/api/v1/devices?type=" + "x".repeat(8_000));

    // HTTP/1.0: the server could not read the request's version either.
    assertThat(answer).startsWith("HTTP/1.0 414");
    assertThat(answer.toLowerCase(java.util.Locale.ROOT))
        .contains("content-type: application/problem+json")
        .contains("the request line is too long");
  }

  @Test
  void validInputStillWorks() {
    assertThat(
            send(
                    "GET",
                    "/api/v1/devices/hostile-fridge/telemetry?from=2026-01-01T00:00:00Z"
                        + "&to=9999-12-31T00:00:00Z&bucket=366d",
                    null)
                .status())
        .isEqualTo(200);
    assertThat(admin.post("/api/v1/devices", Map.of("id", "valid-1", "type", "fridge")).status())
        .isEqualTo(201);
  }

  private static Answer send(String method, String uri, String body) {
    HttpRequest.Builder request =
        TestHttp.request(URI.create("http://127.0.0.1:" + platform.platform().httpPort() + uri))
            .header("authorization", "Bearer " + platform.platform().adminToken());
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("content-type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    try {
      HttpResponse<String> response =
          TestHttp.CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
      String contentType = response.headers().firstValue("content-type").orElse("");
      return new Answer(
          response.statusCode(),
          contentType,
          contentType.contains("json") ? JSON.readTree(response.body()) : JSON.nullNode());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
