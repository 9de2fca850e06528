package io.aftercare.platform.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/** A plain HTTP client for the staff API, as an outside tool would use it. */
public final class ApiClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** An answer: status, content type and the body parsed as JSON (null if not JSON). */
  public record Response(int status, String contentType, JsonNode body) {}

  /** What provisioning hands a device, once: its token and its DTLS key. */
  public record DeviceCredentials(String token, String dtlsKey) {}

  private final String base;
  private final String token;
  private final HttpClient client;

  public ApiClient(String base, String token) {
    this(base, token, TestHttp.CLIENT);
  }

  /**
   * @param client the HTTP client, e.g. one trusting the platform's certificate for HTTPS
   */
  public ApiClient(String base, String token, HttpClient client) {
    this.base = base;
    this.token = token;
    this.client = client;
  }

  /** The same API with another bearer token (or none, with {@code null}). */
  public ApiClient as(String otherToken) {
    return new ApiClient(base, otherToken, client);
  }

  public Response get(String path) {
    return send(TestHttp.request(URI.create(base + path)).GET());
  }

  /** An answer read as text, for bodies that are not one JSON document (CSV, JSON lines). */
  public record TextResponse(int status, String contentType, String body) {}

  public TextResponse getText(String path) {
    HttpRequest.Builder request = TestHttp.request(URI.create(base + path)).GET();
    if (token != null) {
      request.header("authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new TextResponse(
          response.statusCode(),
          response.headers().firstValue("content-type").orElse(""),
          response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public Response post(String path, Object body) {
    return post(path, body, Map.of());
  }

  public Response post(String path, Object body, Map<String, String> headers) {
    HttpRequest.Builder request =
        TestHttp.request(URI.create(base + path))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(write(body)));
    headers.forEach(request::header);
    return send(request);
  }

  public Response put(String path, Object body) {
    return send(
        TestHttp.request(URI.create(base + path))
            .header("content-type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(write(body))));
  }

  public Response patch(String path, Object body) {
    return send(
        TestHttp.request(URI.create(base + path))
            .header("content-type", "application/json")
            .method("PATCH", HttpRequest.BodyPublishers.ofString(write(body))));
  }

  public Response delete(String path) {
    return send(TestHttp.request(URI.create(base + path)).DELETE());
  }

  /** Provisions a device and returns its token. */
  public String provisionDevice(String id, String type) {
    return provisionDeviceCredentials(id, type).token();
  }

  /** Provisions a device and returns its token and its DTLS key. */
  public DeviceCredentials provisionDeviceCredentials(String id, String type) {
    return provisionDevice(Map.of("id", id, "type", type));
  }

  /** Provisions a device from this body and returns its token and its DTLS key. */
  public DeviceCredentials provisionDevice(Map<String, Object> device) {
    Response response = post("/api/v1/devices", device);
    if (response.status() != 201) {
      throw new IllegalStateException("provisioning " + device + " failed: " + response);
    }
    return new DeviceCredentials(
        response.body().get("token").asText(), response.body().get("dtlsKey").asText());
  }

  /** Creates a staff account and returns its token. */
  public String createStaff(String name, String role) {
    Response response = post("/api/v1/staff", Map.of("name", name, "role", role));
    if (response.status() != 201) {
      throw new IllegalStateException("creating " + name + " failed: " + response);
    }
    return response.body().get("token").asText();
  }

  /**
   * Gives the existing staff member {@code name} a technician profile skilled for the device types,
   * certified far into the future, so that tickets can be dispatched to them (docs/dispatch.md).
   */
  public void qualify(String name, String... deviceTypes) {
    Response response =
        put(
            "/api/v1/technicians/" + name,
            Map.of(
                "skills",
                List.of(deviceTypes),
                "certification",
                Map.of("name", "service L1", "expiresOn", "2999-12-31")));
    if (response.status() != 200) {
      throw new IllegalStateException("qualifying " + name + " failed: " + response);
    }
  }

  /**
   * Creates a technician qualified for the device types (see {@link #qualify}); returns the token.
   */
  public String createQualifiedTechnician(String name, String... deviceTypes) {
    String technicianToken = createStaff(name, "technician");
    qualify(name, deviceTypes);
    return technicianToken;
  }

  /**
   * Provisions a fridge of the service desk tests (model FR-200, firmware 2.1.0, sold on
   * 2026-01-15) for the customer of that tier.
   */
  public void provisionFridge(String id, String customerRef, String customerTier) {
    Response response =
        post(
            "/api/v1/devices",
            Map.of(
                "id", id,
                "type", "fridge",
                "model", "FR-200",
                "firmware", "2.1.0",
                "customerRef", customerRef,
                "customerTier", customerTier,
                "soldOn", "2026-01-15"));
    if (response.status() != 201) {
      throw new IllegalStateException("provisioning " + id + " failed: " + response);
    }
  }

  /** Opens a customer-reported case ({@code POST /api/v1/tickets}) and returns its ticket id. */
  public long openCase(Map<String, Object> report) {
    Response response = post("/api/v1/tickets", report);
    if (response.status() != 201) {
      throw new IllegalStateException("opening a case failed: " + response);
    }
    return response.body().path("id").asLong();
  }

  /** Moves the ticket through {@code POST /api/v1/tickets/{id}/transitions}, which must succeed. */
  public void moveTicket(long id, Map<String, Object> transition) {
    Response response = post("/api/v1/tickets/" + id + "/transitions", transition);
    if (response.status() != 200) {
      throw new IllegalStateException("moving ticket " + id + " failed: " + response);
    }
  }

  /** The ticket's detail, which must exist. */
  public JsonNode ticket(long id) {
    Response response = get("/api/v1/tickets/" + id);
    if (response.status() != 200) {
      throw new IllegalStateException("reading ticket " + id + " failed: " + response);
    }
    return response.body();
  }

  private Response send(HttpRequest.Builder request) {
    if (token != null) {
      request.header("authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      String contentType = response.headers().firstValue("content-type").orElse("");
      JsonNode body = contentType.contains("json") ? JSON.readTree(response.body()) : null;
      return new Response(response.statusCode(), contentType, body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String write(Object body) {
    try {
      return body instanceof String s ? s : JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
