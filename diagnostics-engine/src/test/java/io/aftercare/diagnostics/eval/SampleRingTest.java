package io.aftercare.diagnostics.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SampleRingTest {

  @Test
  void keepsTheNewestUpToItsCapacityInOrderAcrossGrowthAndWrapping() {
    SampleRing ring = new SampleRing(6);
    for (int i = 1; i <= 10; i++) {
      ring.append(i * 1000L, i);
    }
    assertEquals(6, ring.size());
    for (int i = 0; i < 6; i++) {
      assertEquals((5 + i) * 1000L, ring.time(i));
      assertEquals(5 + i, ring.value(i));
    }
  }

  @Test
  void dropsSamplesOlderThanTheCutoffAndReplacesTheNewest() {
    SampleRing ring = new SampleRing(16);
    for (int i = 1; i <= 9; i++) {
      ring.append(i * 1000L, i);
    }
    ring.dropBefore(7000);
    ring.replaceNewest(9500, 42);
    assertEquals(3, ring.size());
    assertEquals(7000, ring.time(0));
    assertEquals(9500, ring.time(2));
    assertEquals(42, ring.value(2));
    ring.clear();
    assertEquals(0, ring.size());
  }
}
