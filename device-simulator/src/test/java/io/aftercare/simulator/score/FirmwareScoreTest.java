package io.aftercare.simulator.score;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.simulator.scenario.FirmwareTrialPlan;
import io.aftercare.simulator.scenario.FleetPlanner;
import io.aftercare.simulator.scenario.GroundTruthLog;
import io.aftercare.simulator.scenario.Scenario;
import io.aftercare.simulator.scenario.ScenarioLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The firmware part of {@code score}: the trial's truth read back from the ground truth, and each
 * version's platform verdict and fleet alarm against it.
 */
class FirmwareScoreTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theTruthIsReadBackFromTheGroundTruthFile(@TempDir Path dir) {
    Scenario scenario = ScenarioLoader.load("classpath:firmware-regression");
    Path file = dir.resolve("truth.jsonl");
    try (GroundTruthLog log = new GroundTruthLog(file)) {
      Instant start = Instant.parse("2026-12-07T10:00:00Z");
      log.started(FleetPlanner.plan(scenario), start);
      log.firmwareTrial(FirmwareTrialPlan.of(scenario));
    }

    FirmwareTrialTruth truth = FirmwareTrialTruth.read(file).orElseThrow();

    assertThat(truth.model()).isEqualTo("HB-200");
    assertThat(truth.rule()).isEqualTo("overheating");
    assertThat(truth.versions())
        .containsExactly(
            new FirmwareTrialTruth.Version("3.1.0", null, 100, 120, false),
            new FirmwareTrialTruth.Version("3.2.0", "3.1.0", 100, 120, false),
            new FirmwareTrialTruth.Version("3.3.0", "3.2.0", 100, 313, true));
    // The rest of the score reads the same file as before.
    assertThat(GroundTruth.read(file).devices()).hasSize(300);
  }

  @Test
  void aRunWithoutATrialHasNoFirmwareTruth(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("truth.jsonl");
    Files.writeString(file, "{\"record\":\"run\",\"startedAt\":\"2026-12-07T10:00:00Z\"}\n");
    assertThat(FirmwareTrialTruth.read(file)).isEmpty();
  }

  @Test
  void eachVersionIsATrueOrFalseFlagAMissOrACorrectPass() throws Exception {
    FirmwareTrialTruth truth =
        new FirmwareTrialTruth(
            "HB-200",
            "overheating",
            List.of(
                new FirmwareTrialTruth.Version("1.0", null, 10, 1, false),
                new FirmwareTrialTruth.Version("1.1", "1.0", 10, 1, false),
                new FirmwareTrialTruth.Version("1.2", "1.1", 10, 2, true),
                new FirmwareTrialTruth.Version("1.3", "1.2", 10, 2, false),
                new FirmwareTrialTruth.Version("1.4", "1.3", 10, 4, true)));
    JsonNode api =
        JSON.readTree(
            """
            {"models": [{"model": "HB-200", "versions": [
              {"firmware": "1.0", "rules": [{"ruleId": "overheating",
                "rate": {"alarms": 40, "deviceDays": 0.05, "perThousandDeviceDays": 800000}}]},
              {"firmware": "1.1", "rules": [{"ruleId": "overheating",
                "rate": {"alarms": 42, "deviceDays": 0.05, "perThousandDeviceDays": 840000},
                "comparison": {"previousFirmware": "1.0", "rateRatio": 1.05, "pValue": 0.9,
                               "verdict": "same"}}]},
              {"firmware": "1.2", "rules": [{"ruleId": "overheating",
                "rate": {"alarms": 80, "deviceDays": 0.05, "perThousandDeviceDays": 1600000},
                "comparison": {"previousFirmware": "1.1", "rateRatio": 1.9, "pValue": 0.0004,
                               "verdict": "worse"}}]},
              {"firmware": "1.3", "rules": [{"ruleId": "overheating",
                "rate": {"alarms": 130, "deviceDays": 0.05, "perThousandDeviceDays": 2600000},
                "comparison": {"previousFirmware": "1.2", "rateRatio": 1.6, "pValue": 0.001,
                               "verdict": "worse"}}]},
              {"firmware": "1.4", "rules": [{"ruleId": "overheating",
                "rate": {"alarms": 3, "deviceDays": 0.001},
                "comparison": {"previousFirmware": "1.3", "verdict": "too_little_data"}}]}]}],
             "regressionAlarms": [
              {"model": "HB-200", "firmware": "1.2", "ruleId": "overheating", "status": "active"},
              {"model": "HB-200", "firmware": "1.3", "ruleId": "temperature_rising_fast",
               "status": "active"}]}
            """);

    FirmwareScore score = FirmwareScore.of(truth, api);

    assertThat(score.versions())
        .extracting(FirmwareScore.VersionScore::outcome)
        .containsExactly("correct_pass", "correct_pass", "true_flag", "false_flag", "missed");
    assertThat(score.versions())
        .extracting(FirmwareScore.VersionScore::verdict)
        .containsExactly(null, "same", "worse", "worse", "too_little_data");
    // Only the alarm of the trial's rule counts.
    assertThat(score.versions())
        .extracting(FirmwareScore.VersionScore::fleetAlarm)
        .containsExactly(false, false, true, false, false);
    assertThat(score.regressed()).isEqualTo(2);
    assertThat(score.flagged()).isEqualTo(2);
    assertThat(score.trueFlags()).isEqualTo(1);
    assertThat(score.falseFlags()).isEqualTo(1);
    assertThat(score.missed()).isEqualTo(1);
    assertThat(score.alarmsRaised()).isEqualTo(1);
    assertThat(score.versions().get(2).alarms()).isEqualTo(80);
    assertThat(score.versions().get(2).rateRatio()).isEqualTo(1.9);
    assertThat(score.summary())
        .startsWith("firmware HB-200/overheating: regressed=2 flagged=2 true=1 false=1 missed=1")
        .contains(
            "1.2: truth regressed, platform worse (alarms 80, ratio 1.90, p 0.00040), fleet alarm");
  }

  @Test
  void theScoreIsAddedToTheReportFile(@TempDir Path dir) throws Exception {
    Path report = dir.resolve("score.json");
    Files.writeString(report, "{\"faults\": 3}");
    FirmwareTrialTruth truth =
        new FirmwareTrialTruth(
            "M",
            "overheating",
            List.of(
                new FirmwareTrialTruth.Version("1", null, 1, 1, false),
                new FirmwareTrialTruth.Version("2", "1", 1, 2, true)));

    FirmwareScore.of(truth, JSON.createObjectNode()).addTo(report);

    JsonNode written = JSON.readTree(report.toFile());
    assertThat(written.get("faults").asInt()).isEqualTo(3);
    assertThat(written.get("firmware").get("missed").asInt()).isEqualTo(1);
  }
}
