package io.aftercare.platform.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The buckets, driven by a clock the test moves. */
class DeviceQuotasTest {

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final DeviceQuotas quotas = new DeviceQuotas(10, 1000, 1.0, now::get);

  @Test
  void aFullBucketAdmitsItsBurstThenRefusesUntilRefilled() {
    for (int i = 0; i < 10; i++) {
      assertThat(quotas.take("d1", 10)).isEqualTo(Admission.ADMITTED);
    }
    assertThat(quotas.take("d1", 10)).isEqualTo(Admission.RATE_EXCEEDED);
    assertThat(quotas.retryAfterSeconds("d1")).isEqualTo(1);
    now.addAndGet(100_000_000L);
    assertThat(quotas.take("d1", 10)).isEqualTo(Admission.ADMITTED);
  }

  @Test
  void bytesAreCountedSeparately() {
    assertThat(quotas.take("d1", 600)).isEqualTo(Admission.ADMITTED);
    assertThat(quotas.take("d1", 600)).isEqualTo(Admission.BYTES_EXCEEDED);
    assertThat(quotas.take("d2", 600)).isEqualTo(Admission.ADMITTED);
  }

  @Test
  void aMessageLargerThanTheBucketPassesWhenTheBucketIsFullAndLeavesItInDebt() {
    assertThat(quotas.take("d1", 3000)).isEqualTo(Admission.ADMITTED);
    assertThat(quotas.take("d1", 1)).isEqualTo(Admission.BYTES_EXCEEDED);
    assertThat(quotas.retryAfterSeconds("d1")).isEqualTo(2);
  }

  @Test
  void idleDevicesAreForgotten() {
    quotas.take("d1", 1);
    quotas.take("d2", 1);
    now.addAndGet(2_000_000_000L);
    quotas.take("d3", 1);
    assertThat(quotas.trackedDevices()).isEqualTo(1);
  }
}
