package io.aftercare.simulator.load;

import java.util.ArrayList;
import java.util.List;

/** What one load device sent and got acknowledged, by document timestamp. */
final class DeviceTally {

  private final String deviceId;
  private final List<Long> sent = new ArrayList<>();
  private final List<Long> acked = new ArrayList<>();
  private long lastTs;

  DeviceTally(String deviceId) {
    this.deviceId = deviceId;
  }

  /**
   * The next message's timestamp for this device: the intended one, or the first millisecond after
   * the previous message's {@code span} documents, so every document's timestamp is unique.
   */
  synchronized long nextTs(long intendedMillis, int span) {
    lastTs = Math.max(intendedMillis, lastTs + span);
    return lastTs;
  }

  synchronized void sent(long ts) {
    sent.add(ts);
  }

  synchronized void acked(long ts) {
    acked.add(ts);
  }

  String deviceId() {
    return deviceId;
  }

  synchronized List<Long> sentTimestamps() {
    return List.copyOf(sent);
  }

  synchronized List<Long> ackedTimestamps() {
    return List.copyOf(acked);
  }

  synchronized long firstTs() {
    return sent.isEmpty() ? 0 : sent.get(0);
  }

  synchronized long lastSentTs() {
    return sent.isEmpty() ? 0 : sent.get(sent.size() - 1);
  }

  synchronized List<Long> unacked() {
    List<Long> missing = new ArrayList<>(sent);
    missing.removeAll(new java.util.HashSet<>(acked));
    return missing;
  }
}
