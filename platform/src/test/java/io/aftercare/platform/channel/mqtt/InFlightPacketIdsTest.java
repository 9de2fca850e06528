package io.aftercare.platform.channel.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InFlightPacketIdsTest {

  @Test
  void holdsOneMoreThanTheReceiveMaximumSoThatExceedingItShows() {
    InFlightPacketIds ids = new InFlightPacketIds(2);

    assertThat(ids.add(7)).isTrue();
    assertThat(ids.add(8)).isTrue();
    assertThat(ids.add(9)).isTrue();
    assertThat(ids.size()).isEqualTo(3);
    assertThat(ids.add(10)).isFalse();
  }

  @Test
  void refusesAnIdentifierAlreadyInFlightUntilItIsRemoved() {
    InFlightPacketIds ids = new InFlightPacketIds(64);
    ids.add(1);
    ids.add(2);
    ids.add(3);

    assertThat(ids.add(2)).isFalse();
    ids.remove(2);
    ids.remove(99);
    assertThat(ids.size()).isEqualTo(2);
    assertThat(ids.add(2)).isTrue();
    assertThat(ids.add(1)).isFalse();
    assertThat(ids.add(3)).isFalse();
  }
}
