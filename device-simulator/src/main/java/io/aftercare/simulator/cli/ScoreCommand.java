package io.aftercare.simulator.cli;

import io.aftercare.domain.Durations;
import io.aftercare.simulator.platform.PlatformApi;
import io.aftercare.simulator.score.FaultDetectionMap;
import io.aftercare.simulator.score.FirmwareScore;
import io.aftercare.simulator.score.FirmwareTrialTruth;
import io.aftercare.simulator.score.GroundTruth;
import io.aftercare.simulator.score.PlatformFindings;
import io.aftercare.simulator.score.RootCauseFindings;
import io.aftercare.simulator.score.ScoreReport;
import io.aftercare.simulator.score.Scorer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code score}: detection quality of the platform against a run's ground truth. */
@Command(
    name = "score",
    mixinStandardHelpOptions = true,
    description =
        "Compare a run's ground truth with the platform's alarms and tickets: recall, precision,"
            + " time to detect, remote fixes, false tickets; for a run with homes, home alarms and"
            + " incidents against its outages.")
public final class ScoreCommand implements Callable<Integer> {

  @Mixin PlatformOptions platform;

  @Option(
      names = "--ground-truth",
      description = "Ground-truth file written by run (default: ${DEFAULT-VALUE})",
      defaultValue = "ground-truth.jsonl")
  Path groundTruth;

  @Option(
      names = "--report",
      description = "JSON report file (default: ${DEFAULT-VALUE})",
      defaultValue = "score.json")
  Path report;

  @Option(
      names = "--grace",
      description =
          "How long after a fault ends (cured, or the run over) its alarms and tickets still count"
              + " (default: ${DEFAULT-VALUE})",
      defaultValue = "2m")
  String grace;

  @Override
  public Integer call() {
    PlatformApi api = new PlatformApi(platform.api, platform.requireAdminToken());
    GroundTruth truth = PlatformFindings.withTypesFromPlatform(api, GroundTruth.read(groundTruth));
    PlatformFindings findings = PlatformFindings.fetch(api, truth.devices().keySet());
    ScoreReport result =
        new Scorer(FaultDetectionMap.defaults(), Durations.parse(grace))
            .score(
                truth,
                findings.alarms(),
                findings.tickets(),
                RootCauseFindings.fetch(api, truth),
                Instant.now());
    result.write(report);
    System.out.println(result.summary());
    // A firmware trial's versions: flagged by the regression guard or not, against the truth.
    FirmwareTrialTruth.read(groundTruth)
        .map(trial -> FirmwareScore.of(trial, api.firmwareComparison(trial.model(), trial.rule())))
        .ifPresent(
            firmware -> {
              firmware.addTo(report);
              System.out.println(firmware.summary());
            });
    return 0;
  }
}
