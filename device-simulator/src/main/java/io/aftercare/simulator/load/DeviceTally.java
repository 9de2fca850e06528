package io.aftercare.simulator.load;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/** What one load device sent and got acknowledged, by document timestamp. */
final class DeviceTally {

  private final String deviceId;
  private final TimestampLog sent = new TimestampLog();
  private final TimestampLog acked = new TimestampLog();
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
    return sent.toList();
  }

  synchronized List<Long> ackedTimestamps() {
    return acked.toList();
  }

  synchronized long firstTs() {
    return sent.isEmpty() ? 0 : sent.first();
  }

  synchronized long lastSentTs() {
    return sent.isEmpty() ? 0 : sent.last();
  }

  synchronized List<Long> unacked() {
    List<Long> missing = new ArrayList<>(sent.toList());
    missing.removeAll(new HashSet<>(acked.toList()));
    return missing;
  }
}
