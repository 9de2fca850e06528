package io.aftercare.platform.device;

import static org.assertj.core.api.Assertions.assertThat;

import io.aftercare.platform.device.UnrecordedTransitions.Transition;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bounds and bookkeeping of connectivity changes waiting for the database. */
class UnrecordedTransitionsTest {

  private static final Instant T0 = Instant.parse("2026-12-07T00:00:00Z");

  private static Transition change(String deviceId, int second, boolean online) {
    return new Transition(
        deviceId, online, "mqtt", online ? "connected" : "disconnected", T0.plusSeconds(second));
  }

  @Test
  void aDeviceKeepsOnlyItsLatestChangesInOrder() {
    UnrecordedTransitions unrecorded = new UnrecordedTransitions();
    for (int second = 0; second < UnrecordedTransitions.PER_DEVICE + 4; second++) {
      unrecorded.add(List.of(change("d1", second, second % 2 == 0)));
    }

    List<Transition> kept = unrecorded.pending().get(0);
    assertThat(kept).hasSize(UnrecordedTransitions.PER_DEVICE);
    assertThat(kept.get(0).at()).isEqualTo(T0.plusSeconds(4));
    assertThat(kept.get(kept.size() - 1).at())
        .isEqualTo(T0.plusSeconds(UnrecordedTransitions.PER_DEVICE + 3));
  }

  @Test
  void writtenChangesAreForgottenButLaterOnesWait() {
    UnrecordedTransitions unrecorded = new UnrecordedTransitions();
    unrecorded.add(List.of(change("d1", 0, false)));
    List<Transition> attempted = unrecorded.pending().get(0);
    unrecorded.add(List.of(change("d1", 1, true)));

    unrecorded.written(attempted);

    assertThat(unrecorded.pending()).containsExactly(List.of(change("d1", 1, true)));
    unrecorded.written(unrecorded.pending().get(0));
    assertThat(unrecorded.size()).isZero();
  }

  @Test
  void beyondTheDeviceLimitANewDeviceIsRefusedAndAKnownOneStillKept() {
    UnrecordedTransitions unrecorded = new UnrecordedTransitions();
    for (int i = 0; i < UnrecordedTransitions.DEVICES; i++) {
      assertThat(unrecorded.add(List.of(change("d" + i, 0, false)))).isTrue();
    }

    assertThat(unrecorded.add(List.of(change("one-too-many", 0, false)))).isFalse();
    assertThat(unrecorded.add(List.of(change("d0", 1, true)))).isTrue();
    assertThat(unrecorded.size()).isEqualTo(UnrecordedTransitions.DEVICES);
  }
}
