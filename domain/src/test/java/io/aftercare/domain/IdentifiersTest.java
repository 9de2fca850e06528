package io.aftercare.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The hand-written checks accept exactly what the contract's regular expressions accept. */
class IdentifiersTest {

  private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern METRIC_NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

  private static final List<String> CANDIDATES =
      List.of(
          "",
          "a",
          "A",
          "0",
          "_",
          "kitchen-fridge.01",
          "temperature_c",
          "Temperature_c",
          "9lives",
          "battery pct",
          "door/open",
          "metric-name",
          "naïve",
          "x".repeat(64),
          "x".repeat(65),
          "a" + "0".repeat(63),
          "a\t",
          "@",
          "[",
          "`",
          "{");

  @Test
  void deviceIdsFollowTheContractGrammar() {
    for (String candidate : CANDIDATES) {
      assertThat(Identifiers.isDeviceId(candidate))
          .as(candidate)
          .isEqualTo(DEVICE_ID.matcher(candidate).matches());
    }
    assertThat(Identifiers.isDeviceId(null)).isFalse();
  }

  @Test
  void metricNamesFollowTheContractGrammar() {
    for (String candidate : CANDIDATES) {
      assertThat(Identifiers.isMetricName(candidate))
          .as(candidate)
          .isEqualTo(METRIC_NAME.matcher(candidate).matches());
    }
    assertThat(Identifiers.isMetricName(null)).isFalse();
  }
}
