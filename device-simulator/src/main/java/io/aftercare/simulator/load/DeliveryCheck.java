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
 * timestamp; one metric ({@code load_0}) stands for the whole message, which is written in one
 * transaction.
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

  DeliveryCheck(PlatformApi api) {
    this.api = api;
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
              Instant.ofEpochMilli(tally.lastSentTs() + 1));
      Map<Long, Integer> stored = new HashMap<>();
      for (Instant row : rows) {
        stored.merge(row.toEpochMilli(), 1, Integer::sum);
      }
      Set<Long> acked = new HashSet<>(tally.ackedTimestamps());
      Set<Long> sentSet = new HashSet<>(sent);
      for (long ts : acked) {
        if (!stored.containsKey(ts)) {
          lost++;
        }
      }
      for (Map.Entry<Long, Integer> row : stored.entrySet()) {
        duplicates += row.getValue() - 1;
        if (!sentSet.contains(row.getKey())) {
          unexpected++;
        } else if (!acked.contains(row.getKey())) {
          storedNotAcked++;
        }
      }
    }
    return new Result(lost, duplicates, storedNotAcked, unexpected);
  }
}
