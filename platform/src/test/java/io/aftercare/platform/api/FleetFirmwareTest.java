package io.aftercare.platform.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.TestPlatform;
import io.aftercare.platform.testing.UpgradedFleets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The firmware regression guard end to end on the real database and REST API. Three models, each
 * with devices registered 20 days ago on 1.0 and upgraded to 1.1 ten days ago (the history the
 * platform records on a reported firmware change), and overheating alarms at controlled times: OV-1
 * doubles its rate on 1.1, OV-2 keeps it, OV-3 has too few devices to tell.
 */
class FleetFirmwareTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private static TestPlatform platform;
  private static ApiClient admin;

  @BeforeAll
  static void fleetWithThreeUpgrades() {
    platform = TestPlatform.start(Map.of("diagnostics.firmwareGuard.evaluateEvery", "300ms"));
    admin = platform.api();
    UpgradedFleets.provisionTemplate(platform);
    UpgradedFleets.upgraded(platform, "OV-1", 60, 30, 60);
    UpgradedFleets.upgraded(platform, "OV-2", 60, 30, 30);
    UpgradedFleets.upgraded(platform, "OV-3", 3, 1, 4);
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void aVersionWithDoubleTheRateIsWorseAndRaisesOneFleetAlarmWithItsEvidence() {
    JsonNode overheating = rule(version(comparison("OV-1"), "1.1"), "overheating");
    JsonNode rate = overheating.get("rate");
    assertThat(rate.get("alarms").asLong()).isEqualTo(60);
    // About 600 device-days (60 devices, 10 days, plus today's hours so far).
    assertThat(rate.get("deviceDays").asDouble()).isBetween(600.0, 660.0);
    assertThat(rate.get("low").asDouble()).isLessThan(rate.get("perThousandDeviceDays").asDouble());
    JsonNode comparison = overheating.get("comparison");
    assertThat(comparison.get("previousFirmware").asText()).isEqualTo("1.0");
    assertThat(comparison.get("verdict").asText()).isEqualTo("worse");
    assertThat(comparison.get("rateRatio").asDouble()).isBetween(1.8, 2.0);
    assertThat(comparison.get("pValue").asDouble()).isLessThan(0.01);
    assertThat(comparison.get("rateRatioLow").asDouble()).isGreaterThan(1.0);

    await()
        .atMost(WAIT)
        .until(
            () ->
                platform.count(
                        "SELECT count(*) FROM firmware_regression_alarms WHERE model = 'OV-1'"
                            + " AND status = 'active' AND evaluated_at > raised_at")
                    == 1);
    assertThat(
            platform.count("SELECT count(*) FROM firmware_regression_alarms WHERE model = 'OV-1'"))
        .as("raised once, refreshed by the later rounds")
        .isEqualTo(1);
    await().atMost(WAIT).until(() -> platform.metric("aftercare_firmware_regressions_active") >= 1);
    JsonNode alarms = comparison("OV-1").get("regressionAlarms");
    assertThat(alarms).hasSize(1);
    JsonNode alarm = alarms.get(0);
    assertThat(alarm.get("model").asText()).isEqualTo("OV-1");
    assertThat(alarm.get("firmware").asText()).isEqualTo("1.1");
    assertThat(alarm.get("previousFirmware").asText()).isEqualTo("1.0");
    assertThat(alarm.get("ruleId").asText()).isEqualTo("overheating");
    JsonNode evidence = alarm.get("evidence");
    assertThat(evidence.at("/current/alarms").asLong()).isEqualTo(60);
    assertThat(evidence.at("/previous/alarms").asLong()).isEqualTo(30);
    assertThat(evidence.at("/previous/high").asDouble()).isPositive();
    assertThat(evidence.at("/comparison/pValue").asDouble()).isLessThan(0.01);
    assertThat(evidence.at("/comparison/verdict").asText()).isEqualTo("worse");
  }

  @Test
  void theSameRateIsTheSameAndRaisesNothing() {
    JsonNode comparison = rule(version(comparison("OV-2"), "1.1"), "overheating").get("comparison");
    assertThat(comparison.get("verdict").asText()).isEqualTo("same");
    assertThat(comparison.get("rateRatioLow").asDouble()).isLessThan(1.0);
    assertThat(comparison.get("rateRatioHigh").asDouble()).isGreaterThan(1.0);
    assertThat(comparison("OV-2").get("regressionAlarms")).isEmpty();
    assertThat(
            platform.count("SELECT count(*) FROM firmware_regression_alarms WHERE model = 'OV-2'"))
        .isZero();
  }

  @Test
  void theAlarmClearsWhenTheVersionIsNoLongerWorse() {
    UpgradedFleets.upgraded(platform, "OV-4", 60, 30, 60);
    await()
        .atMost(WAIT)
        .until(
            () ->
                platform.count(
                        "SELECT count(*) FROM firmware_regression_alarms"
                            + " WHERE model = 'OV-4' AND status = 'active'")
                    == 1);

    // Half of 1.1's alarms go (their devices' alarms deleted): its rate is back to 1.0's.
    platform.execute(
        "DELETE FROM alarms WHERE id IN (SELECT id FROM alarms"
            + " WHERE model = 'OV-4' AND firmware = '1.1' ORDER BY id LIMIT 30)");

    await()
        .atMost(WAIT)
        .until(
            () ->
                platform.count(
                        "SELECT count(*) FROM firmware_regression_alarms WHERE model = 'OV-4'"
                            + " AND status = 'cleared' AND cleared_at IS NOT NULL")
                    == 1);
    assertThat(comparison("OV-4").get("regressionAlarms")).isEmpty();
    assertThat(
            rule(version(comparison("OV-4"), "1.1"), "overheating")
                .at("/comparison/verdict")
                .asText())
        .isEqualTo("same");
  }

  @Test
  void aSmallSampleIsTooLittleData() {
    JsonNode body = comparison("OV-3");
    JsonNode first = version(body, "1.0");
    assertThat(first.get("devices").asLong()).isEqualTo(3);
    assertThat(rule(first, "overheating").has("comparison")).as("the first version").isFalse();
    JsonNode comparison = rule(version(body, "1.1"), "overheating").get("comparison");
    assertThat(comparison.get("verdict").asText()).isEqualTo("too_little_data");
    assertThat(comparison.get("rateRatio").asDouble()).isBetween(3.5, 4.0);
  }

  @Test
  void periodAndRuleNarrowTheComparison() {
    // Before the upgrade, only 1.0 was in service.
    String from = LocalDate.now(ZoneOffset.UTC).minusDays(25).toString();
    String to = LocalDate.now(ZoneOffset.UTC).minusDays(12).toString();
    JsonNode body =
        admin.get("/api/v1/fleet/firmware?model=OV-1&from=" + from + "&to=" + to).body();
    assertThat(body.at("/models/0/versions")).hasSize(1);
    assertThat(body.at("/models/0/versions/0/firmware").asText()).isEqualTo("1.0");

    LocalDate nextWeek = LocalDate.now(ZoneOffset.UTC).plusDays(7);
    String future = "from=" + nextWeek + "&to=" + nextWeek.plusDays(7);
    assertThat(admin.get("/api/v1/fleet/firmware?model=OV-1&" + future).body().get("models"))
        .as("no exposure yet in a future period")
        .isEmpty();

    JsonNode otherRule = admin.get("/api/v1/fleet/firmware?model=OV-1&rule=door_open").body();
    assertThat(otherRule.at("/models/0/versions/0/rules")).isEmpty();
    assertThat(otherRule.get("regressionAlarms")).isEmpty();

    assertThat(admin.get("/api/v1/fleet/firmware?from=2026-02-30").status()).isEqualTo(400);
    assertThat(admin.get("/api/v1/fleet/firmware?from=2026-12-01&to=2026-12-01").status())
        .isEqualTo(400);
    assertThat(admin.get("/api/v1/fleet/firmware?version=1.1").status()).isEqualTo(400);
  }

  private static JsonNode comparison(String model) {
    ApiClient.Response response = admin.get("/api/v1/fleet/firmware?model=" + model);
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body().get("models")).hasSize(1);
    return response.body();
  }

  private static JsonNode version(JsonNode body, String firmware) {
    for (JsonNode version : body.at("/models/0/versions")) {
      if (version.get("firmware").asText().equals(firmware)) {
        return version;
      }
    }
    throw new AssertionError("no version " + firmware + " in " + body);
  }

  private static JsonNode rule(JsonNode version, String ruleId) {
    for (JsonNode rule : version.get("rules")) {
      if (rule.get("ruleId").asText().equals(ruleId)) {
        return rule;
      }
    }
    throw new AssertionError("no rule " + ruleId + " in " + version);
  }
}
