package io.aftercare.simulator.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * JSON calls to the service-desk routes of the REST API (tickets, quotes, complaints, KPIs, the
 * customer's case) as one bearer: a staff token, or a customer's link token. The service-desk tour
 * speaks as several people, so it holds one of these per person.
 */
public final class ServiceDeskApi {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** An answer of the API, whatever its status. */
  public record Answer(int status, JsonNode body) {}

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final String base;
  private final String bearer;

  /**
   * @param base e.g. {@code http://127.0.0.1:8080}
   * @param bearer the token sent as {@code Authorization: Bearer}
   */
  public ServiceDeskApi(String base, String bearer) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.bearer = bearer;
  }

  /** The same platform called with another person's token. */
  public ServiceDeskApi as(String otherBearer) {
    return new ServiceDeskApi(base, otherBearer);
  }

  /** {@code GET path}, which must answer 200. */
  public JsonNode get(String path) {
    return expect(200, "GET", path, send(builder(path).GET()));
  }

  /** {@code POST path} with a JSON body, which must answer {@code status}. */
  public JsonNode post(String path, Object body, int status) {
    return expect(status, "POST", path, attempt("POST", path, body));
  }

  /** {@code PUT path} with a JSON body, which must answer {@code status}. */
  public JsonNode put(String path, Object body, int status) {
    return expect(status, "PUT", path, attempt("PUT", path, body));
  }

  /** A call whose refusal is an expected outcome: the caller looks at the status. */
  public Answer attempt(String method, String path, Object body) {
    return send(
        builder(path)
            .header("content-type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(write(body))));
  }

  /** {@code DELETE path}, whatever it answers: the caller looks at the status. */
  public Answer delete(String path) {
    return send(builder(path).DELETE());
  }

  /** A query parameter's value, encoded. */
  public static String enc(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static JsonNode expect(int status, String method, String path, Answer answer) {
    if (answer.status() != status) {
      throw new IllegalStateException(
          method
              + " "
              + path
              + " answered HTTP "
              + answer.status()
              + " (expected "
              + status
              + "): "
              + answer.body().path("detail").asText(answer.body().toString()));
    }
    return answer.body();
  }

  private HttpRequest.Builder builder(String path) {
    return HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(60))
        .header("accept", "application/json")
        .header("authorization", "Bearer " + bearer);
  }

  private Answer send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), parse(response.body()));
    } catch (IOException e) {
      throw new UncheckedIOException("platform API unreachable at " + base, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** A body that is not JSON (a proxy's error page) is kept as text for the error message. */
  private static JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return JSON.createObjectNode();
    }
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return JSON.getNodeFactory().textNode(body);
    }
  }

  private static String write(Object body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
