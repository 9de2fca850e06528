package io.aftercare.platform.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The staff API as the console's browser reaches it: signed in with a staff token, then
 * authenticated by the {@code aftercare_session} cookie alone (no {@code Authorization}), sending
 * {@code X-CSRF-Token} only when a test says so.
 */
public final class ConsoleBrowser {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** An answer: status, its {@code Set-Cookie} headers and the body parsed as JSON (or null). */
  public record Response(int status, List<String> setCookies, JsonNode body) {}

  private final String base;
  private final Response signIn;
  private final String cookie;

  private ConsoleBrowser(String base, Response signIn, String cookie) {
    this.base = base;
    this.signIn = signIn;
    this.cookie = cookie;
  }

  /** Signs in with {@code token}; the answer must set the session cookie. */
  public static ConsoleBrowser signIn(String base, String token) {
    Response response = post(base + "/api/v1/session", null, Map.of("token", token), Map.of());
    if (response.status() != 201) {
      throw new IllegalStateException("sign-in failed: " + response);
    }
    String cookie =
        response.setCookies().stream()
            .filter(header -> header.startsWith("aftercare_session="))
            .map(header -> header.substring(0, header.indexOf(';')))
            .findFirst()
            .orElseThrow();
    return new ConsoleBrowser(base, response, cookie);
  }

  /** The same browser, cookie and all, reaching the platform at another address (a restart). */
  public ConsoleBrowser at(String otherBase) {
    return new ConsoleBrowser(otherBase, signIn, cookie);
  }

  /** The sign-in answer. */
  public Response signInResponse() {
    return signIn;
  }

  public String csrfToken() {
    return signIn.body().get("csrfToken").asText();
  }

  /** {@code aftercare_session=<value>}, as the browser sends it. */
  public String cookieHeader() {
    return cookie;
  }

  public Response get(String path) {
    return send(request(path).GET());
  }

  /** A POST with the cookie and the given extra headers (e.g. the CSRF token, an Origin). */
  public Response post(String path, Object body, Map<String, String> headers) {
    return post(base + path, cookie, body, headers);
  }

  public Response delete(String path, Map<String, String> headers) {
    HttpRequest.Builder request = request(path).DELETE();
    headers.forEach(request::header);
    return send(request);
  }

  /** The CSRF header with this session's token. */
  public Map<String, String> csrf() {
    return Map.of("X-CSRF-Token", csrfToken());
  }

  /** The CSRF header plus {@code more}. */
  public Map<String, String> csrfAnd(Map<String, String> more) {
    Map<String, String> headers = new HashMap<>(csrf());
    headers.putAll(more);
    return headers;
  }

  private HttpRequest.Builder request(String path) {
    return TestHttp.request(URI.create(base + path)).header("cookie", cookie);
  }

  private static Response post(
      String url, String cookie, Object body, Map<String, String> headers) {
    HttpRequest.Builder request;
    try {
      request =
          TestHttp.request(URI.create(url))
              .header("content-type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (cookie != null) {
      request.header("cookie", cookie);
    }
    headers.forEach(request::header);
    return send(request);
  }

  private static Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          TestHttp.CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
      String contentType = response.headers().firstValue("content-type").orElse("");
      JsonNode body = contentType.contains("json") ? JSON.readTree(response.body()) : null;
      return new Response(response.statusCode(), response.headers().allValues("set-cookie"), body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
