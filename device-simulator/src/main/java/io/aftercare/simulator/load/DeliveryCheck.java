package io.aftercare.simulator.load;

import io.aftercare.simulator.platform.PlatformApi;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares what the platform stored with what it acknowledged, device by device, through the staff
 * API. Every load message has its own (device, timestamp), so a stored row is identified by its
 * timestamp; one metric ({@code load_0}) stands for the whole document, which is written in one
 * transaction. A message is lost when any document of its batch is missing.
 */
final class DeliveryCheck {

  /**
   * @param lost acknowledged messages with no row
   * @param duplicateRows rows beyond one per message (the platform's key should make this 0)
   * @param storedNotAcked rows of messages that were never acknowledged (failed or timed out on the
   *     client side, yet committed)
   * @param unexpectedRows rows whose timestamp this run never sent
   */
  record Result(long lost, long duplicateRows, long storedNotAcked, long unexpectedRows) {}

  private final PlatformApi api;
  private final int documents;

  /**
   * @param documents documents per message: message {@code ts} stored its documents at {@code ts}
   *     to {@code ts + documents - 1}
   */
  DeliveryCheck(PlatformApi api, int documents) {
    this.api = api;
    this.documents = documents;
  }

  Result check(List<DeviceTally> tallies) {
    long lost = 0;
    long duplicates = 0;
    long storedNotAcked = 0;
    long unexpected = 0;
    for (DeviceTally tally : tallies) {
      List<Long> sent = tally.sentTimestamps();
      if (sent.isEmpty()) {
        continue;
      }
      List<Instant> rows =
          api.pointTimes(
              tally.deviceId(),
              "load_0",
              Instant.ofEpochMilli(tally.firstTs()),
              Instant.ofEpochMilli(tally.lastSentTs() + documents));
      Map<Long, Integer> stored = new HashMap<>();
      for (Instant row : rows) {
        stored.merge(row.toEpochMilli(), 1, Integer::sum);
      }
      Set<Long> acked = new HashSet<>(tally.ackedTimestamps());
      Set<Long> sentSet = new HashSet<>(sent);
      for (long ts : acked) {
        for (int k = 0; k < documents; k++) {
          if (!stored.containsKey(ts + k)) {
            lost++;
            break;
          }
        }
      }
      Set<Long> storedMessages = new HashSet<>();
      for (Map.Entry<Long, Integer> row : stored.entrySet()) {
        duplicates += row.getValue() - 1;
        Long message = messageOf(row.getKey(), sentSet);
        if (message == null) {
          unexpected++;
        } else if (!acked.contains(message) && storedMessages.add(message)) {
          storedNotAcked++;
        }
      }
    }
    return new Result(lost, duplicates, storedNotAcked, unexpected);
  }

  /** The message whose batch holds the document stamped {@code ts}, if any. */
  private Long messageOf(long ts, Set<Long> sent) {
    for (int k = 0; k < documents; k++) {
      if (sent.contains(ts - k)) {
        return ts - k;
      }
    }
    return null;
  }
}
