package io.aftercare.platform.fleet.firmware;

import static org.assertj.core.api.Assertions.assertThat;

import io.aftercare.platform.fleet.firmware.FirmwareComparisons.ModelReport;
import io.aftercare.platform.fleet.firmware.FirmwareComparisons.RuleRate;
import io.aftercare.platform.fleet.firmware.FirmwareComparisons.VersionReport;
import java.util.List;
import org.junit.jupiter.api.Test;

class FirmwareComparisonsTest {

  private static final GuardThresholds LIMITS = new GuardThresholds(100, 10, 0.05);

  @Test
  void comparesEachVersionWithItsPredecessorOnTheSameModelPerRule() {
    List<ModelReport> models =
        FirmwareComparisons.build(
            List.of(
                new VersionExposure("TH-1", "1.10.0", 20, 2000),
                new VersionExposure("TH-1", "1.9.0", 20, 2000),
                new VersionExposure("CAM-2", "3.0.0", 5, 40)),
            List.of(
                new RuleAlarmCount("TH-1", "1.9.0", "overheating", 20),
                new RuleAlarmCount("TH-1", "1.10.0", "overheating", 40),
                new RuleAlarmCount("TH-1", "1.10.0", "wifi_weak", 3),
                new RuleAlarmCount("CAM-2", "3.0.0", "overheating", 1),
                new RuleAlarmCount("GONE", "0.1", "overheating", 9)),
            LIMITS);

    assertThat(models).extracting(ModelReport::model).containsExactly("CAM-2", "TH-1");
    ModelReport thermostat = models.get(1);
    assertThat(thermostat.versions())
        .extracting(VersionReport::firmware)
        .containsExactly("1.9.0", "1.10.0");

    VersionReport first = thermostat.versions().get(0);
    assertThat(first.rules())
        .extracting(RuleRate::ruleId)
        .containsExactly("overheating", "wifi_weak");
    assertThat(first.rules()).allSatisfy(rule -> assertThat(rule.comparison()).isNull());
    assertThat(first.rules().get(1).rate().alarms()).isZero();

    VersionReport second = thermostat.versions().get(1);
    RuleRate overheating = second.rules().get(0);
    assertThat(overheating.rate().perThousandDeviceDays()).isEqualTo(20.0);
    assertThat(overheating.comparison().previousFirmware()).isEqualTo("1.9.0");
    assertThat(overheating.comparison().verdict()).isEqualTo(Verdict.WORSE);
    assertThat(second.rules().get(1).comparison().verdict()).isEqualTo(Verdict.TOO_LITTLE_DATA);
  }
}
