package io.aftercare.diagnostics.eval;

/**
 * A monitor's recent samples, oldest first, in a ring that holds at most {@code capacity} of them.
 * The arrays start small and grow to the cap on demand: most devices report rarely, and a monitor
 * per device and rule must not reserve the cap for each.
 */
final class SampleRing {
  private final int capacity;
  private long[] times;
  private double[] values;
  private int start;
  private int size;

  SampleRing(int capacity) {
    this.capacity = capacity;
    int initial = Math.min(capacity, 4);
    this.times = new long[initial];
    this.values = new double[initial];
  }

  /** Drops the samples taken before {@code cutoff}. */
  void dropBefore(long cutoff) {
    while (size > 0 && times[start] < cutoff) {
      start = (start + 1) % times.length;
      size--;
    }
  }

  /** Adds a sample as the newest, dropping the oldest when the ring is full. */
  void append(long at, double value) {
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

  /** Overwrites the newest sample; the ring must not be empty. */
  void replaceNewest(long at, double value) {
    int last = (start + size - 1) % times.length;
    times[last] = at;
    values[last] = value;
  }

  int size() {
    return size;
  }

  /** The time of the {@code i}-th sample, oldest first. */
  long time(int i) {
    return times[(start + i) % times.length];
  }

  /** The value of the {@code i}-th sample, oldest first. */
  double value(int i) {
    return values[(start + i) % times.length];
  }

  void clear() {
    start = 0;
    size = 0;
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
