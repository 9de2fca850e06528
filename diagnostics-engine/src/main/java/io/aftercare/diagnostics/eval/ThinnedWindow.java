package io.aftercare.diagnostics.eval;

/**
 * The samples of a sliding time window thinned to at most one per {@code window / maxPoints}
 * bucket, the latest of the bucket standing for it. However often a device reports, a forecast then
 * fits at most {@code maxPoints + 1} points: its work per sample (all pairs of points) and its
 * memory per device stay fixed, and the points stay spread over the whole window, so a device that
 * reports every second is judged on the same span as one that reports every minute. The ring starts
 * small and grows to the cap on demand.
 */
final class ThinnedWindow {
  private final long lengthMillis;
  private final long bucketMillis;
  private final int capacity;
  private long[] times = new long[4];
  private double[] values = new double[4];
  private int start;
  private int size;

  ThinnedWindow(long lengthMillis, int maxPoints) {
    this.lengthMillis = lengthMillis;
    this.bucketMillis = Math.max(1, lengthMillis / maxPoints);
    this.capacity = maxPoints + 1;
  }

  void add(long at, double value) {
    while (size > 0 && times[start] < at - lengthMillis) {
      start = (start + 1) % times.length;
      size--;
    }
    if (size > 0 && Math.floorDiv(newest(), bucketMillis) == Math.floorDiv(at, bucketMillis)) {
      int last = (start + size - 1) % times.length;
      times[last] = at;
      values[last] = value;
      return;
    }
    if (size == capacity) {
      start = (start + 1) % times.length;
      size--;
    } else if (size == times.length) {
      grow();
    }
    int slot = (start + size) % times.length;
    times[slot] = at;
    values[slot] = value;
    size++;
  }

  int size() {
    return size;
  }

  /** Milliseconds from the oldest point to the newest; 0 with fewer than two. */
  long span() {
    return size < 2 ? 0 : newest() - times[start];
  }

  /** The time of the {@code i}-th point, oldest first. */
  long time(int i) {
    return times[(start + i) % times.length];
  }

  /** The value of the {@code i}-th point, oldest first. */
  double value(int i) {
    return values[(start + i) % times.length];
  }

  void clear() {
    start = 0;
    size = 0;
  }

  private long newest() {
    return times[(start + size - 1) % times.length];
  }

  private void grow() {
    int length = Math.min(capacity, times.length * 2);
    long[] newTimes = new long[length];
    double[] newValues = new double[length];
    for (int i = 0; i < size; i++) {
      newTimes[i] = time(i);
      newValues[i] = value(i);
    }
    times = newTimes;
    values = newValues;
    start = 0;
  }
}
