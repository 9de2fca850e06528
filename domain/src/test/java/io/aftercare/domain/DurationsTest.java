package io.aftercare.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest
  @CsvSource({
    "0, PT0S",
    "250ms, PT0.25S",
    "30s, PT30S",
    "15m, PT15M",
    "2h, PT2H",
    "7d, PT168H",
    "' 10s ', PT10S",
    "999999999s, PT277777H46M39S",
    "PT30S, PT30S",
    "pt1h30m, PT1H30M",
    "P2D, PT48H",
    "P1DT12H, PT36H",
    "0s, PT0S"
  })
  void readsTheShortFormsAndIso8601(String text, String expected) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "s",
        "30",
        "30 s",
        "30S",
        "1.5s",
        "+5s",
        "-5s",
        "1w",
        "30sec",
        "1000000000s",
        "PT",
        "P1Y"
      })
  void refusesAnythingElseNamingTheForms(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "' is not a duration such as 250ms, 30s");
  }

  @ParameterizedTest
  @ValueSource(strings = {"PT-5S", "-PT5S", "P-1D"})
  void refusesNegativeDurations(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negative");
  }
}
