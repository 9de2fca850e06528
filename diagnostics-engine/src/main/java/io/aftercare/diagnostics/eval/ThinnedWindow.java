package io.aftercare.diagnostics.eval;

/**
 * The samples of a sliding time window thinned to at most one per {@code window / maxPoints}
 * bucket, the latest of the bucket standing for it. However often a device reports, a forecast then
 * fits at most {@code maxPoints + 1} points: its work per sample (all pairs of points) and its
 * memory per device stay fixed, and the points stay spread over the whole window, so a device that
 * reports every second is judged on the same span as one that reports every minute.
 */
final class ThinnedWindow {
  private final long lengthMillis;
  private final long bucketMillis;
  private final SampleRing ring;

  ThinnedWindow(long lengthMillis, int maxPoints) {
    this.lengthMillis = lengthMillis;
    this.bucketMillis = Math.max(1, lengthMillis / maxPoints);
    this.ring = new SampleRing(maxPoints + 1);
  }

  void add(long at, double value) {
    ring.dropBefore(at - lengthMillis);
    if (ring.size() > 0 && bucketOf(newest()) == bucketOf(at)) {
      ring.replaceNewest(at, value);
    } else {
      ring.append(at, value);
    }
  }

  int size() {
    return ring.size();
  }

  /** Milliseconds from the oldest point to the newest; 0 with fewer than two. */
  long span() {
    return ring.size() < 2 ? 0 : newest() - ring.time(0);
  }

  /** The time of the {@code i}-th point, oldest first. */
  long time(int i) {
    return ring.time(i);
  }

  /** The value of the {@code i}-th point, oldest first. */
  double value(int i) {
    return ring.value(i);
  }

  void clear() {
    ring.clear();
  }

  private long bucketOf(long at) {
    return Math.floorDiv(at, bucketMillis);
  }

  private long newest() {
    return ring.time(ring.size() - 1);
  }
}
