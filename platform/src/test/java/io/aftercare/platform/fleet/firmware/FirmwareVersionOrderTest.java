package io.aftercare.platform.fleet.firmware;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FirmwareVersionOrderTest {

  @Test
  void ordersReleasesNumericallyWithPreReleasesFirst() {
    List<String> versions =
        new ArrayList<>(
            List.of(
                "1.10.0", "1.2.0", "1.9.3", "2.0.0", "2.0.0-rc1", "1.2", "1.2.0-beta", "1.02.1"));

    versions.sort(FirmwareVersionOrder.INSTANCE);

    assertThat(versions)
        .containsExactly(
            "1.2", "1.2.0-beta", "1.2.0", "1.02.1", "1.9.3", "1.10.0", "2.0.0-rc1", "2.0.0");
  }

  @Test
  void wordsOrderAfterNumbersAndAmongThemselvesAsText() {
    assertThat(FirmwareVersionOrder.INSTANCE.compare("1.x", "1.2")).isPositive();
    assertThat(FirmwareVersionOrder.INSTANCE.compare("1.a", "1.b")).isNegative();
    assertThat(FirmwareVersionOrder.INSTANCE.compare("3.1", "3.1")).isZero();
    // Consistent with equals, so a sorted map keeps both spellings apart.
    assertThat(FirmwareVersionOrder.INSTANCE.compare("1.02", "1.2")).isNegative();
    assertThat(FirmwareVersionOrder.INSTANCE.compare("1.2", "1.02")).isPositive();
  }
}
