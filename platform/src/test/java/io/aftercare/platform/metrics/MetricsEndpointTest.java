package io.aftercare.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aftercare.bridge.testing.FakeHelpdesk;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.TestPlatform;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} as Prometheus scrapes it over HTTP: every family has a HELP text, and the JVM,
 * staff API request, alarm, ticket, outbox and command series are there with the values that one
 * alarm, one reported case (delivered to a real HTTP helpdesk) and one command leave.
 */
class MetricsEndpointTest {

  private static FakeHelpdesk helpdesk;
  private static TestPlatform platform;
  private static ApiClient admin;

  @BeforeAll
  static void start() throws Exception {
    helpdesk = FakeHelpdesk.start();
    platform = TestPlatform.start(TestPlatform.deliveringTo(helpdesk, "/hooks/aftercare"));
    admin = platform.api();
    raiseFridgeWarm("fridge-m1");
    admin.openCase(
        Map.of(
            "channel", "phone",
            "symptom", "the boiler does not heat",
            "customerRef", "cust-m1",
            "serviceType", "repair"));
    assertThat(
            admin.post("/api/v1/devices/fridge-m1/commands", Map.of("name", "identify")).status())
        .isEqualTo(202);
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
    if (helpdesk != null) {
      helpdesk.close();
    }
  }

  /** 9.5 °C for 40 minutes: beyond the fridge_warm rule's 30, a major device_fault alarm. */
  private static void raiseFridgeWarm(String id) throws Exception {
    String token = admin.provisionDevice(id, "fridge");
    MqttClient fridge = PahoDevices.v3(platform.mqttUri(), id, token);
    Instant t0 = Instant.now().minus(Duration.ofHours(2));
    for (int minute = 0; minute <= 40; minute += 5) {
      String document =
          "{\"ts\":\""
              + t0.plusSeconds(minute * 60L)
              + "\",\"metrics\":{\"fridge_temp_c\":9.5,\"door_open\":false}}";
      fridge.publish(
          "devices/" + id + "/telemetry", document.getBytes(StandardCharsets.UTF_8), 1, false);
    }
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> admin.get("/api/v1/alarms?deviceId=" + id).body().get("alarms").size() == 1);
    fridge.disconnect();
  }

  private static String scrape() {
    ApiClient.TextResponse response = admin.getText("/metrics");
    assertThat(response.status()).isEqualTo(200);
    return response.body();
  }

  /** Sample lines by name and labels as written, e.g. {@code x_total{a="b"}} -> value. */
  private static Map<String, Double> samples(String text) {
    Map<String, Double> samples = new HashMap<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        int space = line.lastIndexOf(' ');
        samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
      }
    }
    return samples;
  }

  @Test
  void everyTypedFamilyHasANonEmptyHelpText() {
    Map<String, String> help = new HashMap<>();
    Map<String, String> types = new HashMap<>();
    for (String line : scrape().split("\n")) {
      String[] parts = line.split(" ", 4);
      if (line.startsWith("# HELP ")) {
        help.put(parts[2], parts.length > 3 ? parts[3].strip() : "");
      } else if (line.startsWith("# TYPE ")) {
        types.put(parts[2], parts[3]);
      }
    }
    assertThat(types).isNotEmpty();
    for (String family : types.keySet()) {
      assertThat(help.get(family)).as("HELP of " + family).isNotBlank();
    }
  }

  @Test
  void jvmSeriesArePresent() {
    Map<String, Double> samples = samples(scrape());
    assertThat(samples.keySet())
        .anyMatch(name -> name.startsWith("jvm_memory_used_bytes{"))
        .anyMatch(name -> name.startsWith("jvm_threads_live_threads"))
        .anyMatch(name -> name.startsWith("jvm_classes_loaded_classes"))
        .anyMatch(name -> name.startsWith("process_uptime_seconds"))
        .anyMatch(name -> name.startsWith("system_cpu_count"));
  }

  @Test
  void staffApiRequestsAreCountedByRouteTemplateNotRawPath() {
    assertThat(admin.get("/api/v1/devices/fridge-m1").status()).isEqualTo(200);
    assertThat(admin.get("/api/v1/devices/no-such-device").status()).isEqualTo(404);
    Map<String, Double> samples = samples(scrape());
    assertThat(
            samples.get(
                "aftercare_http_server_requests_seconds_count{method=\"GET\","
                    + "route=\"/api/v1/devices/:id\",status=\"200\"}"))
        .isGreaterThanOrEqualTo(1);
    assertThat(
            samples.get(
                "aftercare_http_server_requests_seconds_count{method=\"GET\","
                    + "route=\"/api/v1/devices/:id\",status=\"404\"}"))
        .isGreaterThanOrEqualTo(1);
    assertThat(samples.keySet()).noneMatch(name -> name.contains("fridge-m1"));
    assertThat(samples.keySet())
        .anyMatch(name -> name.startsWith("aftercare_http_server_requests_seconds_bucket{"));
  }

  @Test
  void refusalsAndFailuresKeepTheirRouteTemplate() {
    // A 404 through the failure handler, a 401 from authentication, a path no route takes.
    assertThat(admin.get("/api/v1/tickets/987654").status()).isEqualTo(404);
    assertThat(admin.as(null).get("/api/v1/tickets/987654").status()).isEqualTo(401);
    assertThat(admin.get("/api/v1/no-such-resource/42").status()).isEqualTo(404);
    Map<String, Double> samples = samples(scrape());
    assertThat(
            samples.get(
                "aftercare_http_server_requests_seconds_count{method=\"GET\","
                    + "route=\"/api/v1/tickets/:id\",status=\"404\"}"))
        .isGreaterThanOrEqualTo(1);
    assertThat(
            samples.get(
                "aftercare_http_server_requests_seconds_count{method=\"GET\","
                    + "route=\"/api/v1/tickets/:id\",status=\"401\"}"))
        .isGreaterThanOrEqualTo(1);
    assertThat(
            samples.get(
                "aftercare_http_server_requests_seconds_count{method=\"GET\","
                    + "route=\"unmatched\",status=\"404\"}"))
        .isGreaterThanOrEqualTo(1);
    assertThat(samples.keySet()).noneMatch(name -> name.contains("987654"));
  }

  @Test
  void theCaseOpenedEventReachesTheHelpdeskAndIsCountedDelivered() {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                samples(scrape())
                        .getOrDefault(
                            "aftercare_outbox_deliveries_total{outcome=\"delivered\"}", 0.0)
                    >= 1);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> samples(scrape()).get("aftercare_outbox_events{status=\"pending\"}") == 0);
    Map<String, Double> samples = samples(scrape());
    assertThat(samples.get("aftercare_outbox_deliveries_total{outcome=\"retry\"}")).isZero();
    assertThat(samples.get("aftercare_outbox_deliveries_total{outcome=\"dead\"}")).isZero();
    assertThat(samples.get("aftercare_outbox_events{status=\"dead\"}")).isZero();
  }

  @Test
  void alarmTicketOutboxAndCommandSeriesCountWhatHappened() {
    String major = "category=\"device_fault\",severity=\"major\"";
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                samples(scrape()).getOrDefault("aftercare_alarms_raised_total{" + major + "}", 0.0)
                    >= 1);
    Map<String, Double> samples = samples(scrape());
    assertThat(samples.get("aftercare_alarms_open{" + major + "}")).isEqualTo(1);
    assertThat(samples.get("aftercare_alarms_cleared_total{" + major + "}")).isZero();
    assertThat(samples)
        .anySatisfy(
            (name, value) -> {
              assertThat(name).startsWith("aftercare_tickets_opened_total{");
              assertThat(name).contains("source=\"reported\"");
              assertThat(value).isEqualTo(1);
            });
    assertThat(samples.get("aftercare_tickets_open{status=\"open\"}")).isGreaterThanOrEqualTo(1);
    assertThat(samples.get("aftercare_tickets_open{status=\"resolved\"}")).isZero();
    assertThat(samples.get("aftercare_tickets_sla_breaches_total{clock=\"response\"}")).isZero();
    assertThat(samples.get("aftercare_tickets_sla_breaches_total{clock=\"repair\"}")).isZero();
    assertThat(samples.get("aftercare_outbox_events{status=\"dead\"}")).isZero();
    assertThat(samples.get("aftercare_commands_total{status=\"queued\"}"))
        .isGreaterThanOrEqualTo(1);
    assertThat(samples.get("aftercare_commands_open{status=\"queued\"}")).isGreaterThanOrEqualTo(1);
  }
}
