package io.aftercare.simulator.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.simulator.link.DeviceSecrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The parts of the staff REST API the simulator uses, called as the admin. */
public final class PlatformApi {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The largest {@code limit} the list endpoints accept. */
  private static final int MAX_PAGE = 1000;

  private final HttpClient http =
      HttpClient.newBuilder()
          // HTTP/1.1: no h2c upgrade dance on every first request.
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final String base;
  private final String adminToken;

  /**
   * @param base e.g. {@code http://127.0.0.1:8080}
   */
  public PlatformApi(String base, String adminToken) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.adminToken = adminToken;
  }

  /**
   * Provisions a device and returns its token and DTLS key.
   *
   * @param attributes more optional device attributes, e.g. {@code homeId}, {@code customerRef},
   *     {@code region} (docs/device-contract.md)
   * @throws AlreadyProvisionedException when the id exists: its token was shown once, at its
   *     creation, so only a credentials file from that run can reuse it
   */
  public DeviceSecrets provision(
      String id, String type, String model, String firmware, Map<String, String> attributes) {
    Map<String, Object> body = new LinkedHashMap<>(attributes);
    body.putAll(Map.of("id", id, "type", type, "model", model, "firmware", firmware));
    HttpResponse<String> response =
        send(
            request("/api/v1/devices")
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(write(body))));
    if (response.statusCode() == 409) {
      throw new AlreadyProvisionedException(id);
    }
    if (response.statusCode() != 201) {
      throw new IllegalStateException(
          "provisioning " + id + " failed: HTTP " + response.statusCode() + " " + response.body());
    }
    JsonNode provisioned = read(response.body());
    return new DeviceSecrets(
        provisioned.get("token").asText(), provisioned.get("dtlsKey").asText());
  }

  /**
   * The timestamps stored for one metric of one device in {@code [from, to)}, following pages until
   * the API says nothing was truncated.
   */
  public List<Instant> pointTimes(String deviceId, String metric, Instant from, Instant to) {
    List<Instant> times = new ArrayList<>();
    Instant pageFrom = from;
    while (true) {
      String path =
          "/api/v1/devices/"
              + enc(deviceId)
              + "/telemetry?metric="
              + enc(metric)
              + "&from="
              + enc(pageFrom.toString())
              + "&to="
              + enc(to.toString())
              + "&limit=10000";
      HttpResponse<String> response = send(request(path).GET());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "reading telemetry of " + deviceId + " failed: HTTP " + response.statusCode());
      }
      JsonNode page = read(response.body());
      Instant last = null;
      for (JsonNode point : page.get("points")) {
        last = Instant.parse(point.get("ts").asText());
        times.add(last);
      }
      if (!page.path("truncated").asBoolean(false) || last == null) {
        return times;
      }
      // Points are in time order; the next page starts just after the last one seen.
      pageFrom = last.plusNanos(1000);
    }
  }

  /** Every alarm of a device, whatever its status (cleared ones too), newest first. */
  public List<JsonNode> alarms(String deviceId) {
    return completeList("/api/v1/alarms?deviceId=" + enc(deviceId), "alarms", deviceId);
  }

  /** Every ticket of a device, whatever its status, newest first. */
  public List<JsonNode> tickets(String deviceId) {
    return completeList("/api/v1/tickets?deviceId=" + enc(deviceId), "tickets", deviceId);
  }

  /**
   * The newest home alarms (docs/diagnostics.md, "Root cause across devices: homes"), any status,
   * with the device alarms each explains: one page of the largest size, newest first.
   */
  public List<JsonNode> homeAlarms() {
    return page("/api/v1/home-alarms?limit=" + MAX_PAGE, "homeAlarms");
  }

  /** The newest incidents (docs/incidents.md), any status: one page of the largest size. */
  public List<JsonNode> incidents() {
    return page("/api/v1/incidents?limit=" + MAX_PAGE, "incidents");
  }

  /** The largest page a list endpoint gives: a list this long may hide older entries. */
  public static int maxPage() {
    return MAX_PAGE;
  }

  private List<JsonNode> page(String path, String field) {
    HttpResponse<String> response = send(request(path).GET());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "reading " + field + " failed: HTTP " + response.statusCode() + " " + response.body());
    }
    List<JsonNode> items = new ArrayList<>();
    read(response.body()).get(field).forEach(items::add);
    return items;
  }

  /** The type a device was provisioned with. */
  public String deviceType(String deviceId) {
    HttpResponse<String> response = send(request("/api/v1/devices/" + enc(deviceId)).GET());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "reading device " + deviceId + " failed: HTTP " + response.statusCode());
    }
    return read(response.body()).get("type").asText();
  }

  /**
   * The firmware regression guard's comparison of one model's versions on one rule, with its active
   * fleet alarms ({@code GET /api/v1/fleet/firmware}, the last 30 days).
   */
  public JsonNode firmwareComparison(String model, String rule) {
    HttpResponse<String> response =
        send(request("/api/v1/fleet/firmware?model=" + enc(model) + "&rule=" + enc(rule)).GET());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "reading the firmware comparison of " + model + " failed: HTTP " + response.statusCode());
    }
    return read(response.body());
  }

  /**
   * A list endpoint read with its largest page. These lists have no paging cursor, so a full page
   * may hide older entries: refuse rather than count from part of the list.
   */
  private List<JsonNode> completeList(String path, String field, String deviceId) {
    HttpResponse<String> response = send(request(path + "&limit=" + MAX_PAGE).GET());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "reading " + field + " of " + deviceId + " failed: HTTP " + response.statusCode());
    }
    List<JsonNode> items = new ArrayList<>();
    read(response.body()).get(field).forEach(items::add);
    if (items.size() >= MAX_PAGE) {
      throw new IllegalStateException(
          deviceId + " has " + MAX_PAGE + " or more " + field + ": more than one page can show");
    }
    return items;
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(60))
        .header("authorization", "Bearer " + adminToken);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("platform API unreachable at " + base, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static String enc(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static String write(Object body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode read(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
