package io.aftercare.platform.faults;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one client sent and what the platform acknowledged, by sequence number, and the verdict once
 * the database is read back: the Jepsen-style check of "acked means stored, and stored once".
 */
public final class DeliveryLedger {

  /**
   * Every sent message in one class. {@code lost}: acknowledged but not stored; {@code duplicated}:
   * stored more than once; unacknowledged messages may or may not have been stored, both are fine.
   */
  public record Verdict(
      String client,
      int sent,
      int ackedStored,
      int unackedStored,
      int unackedNotStored,
      int lost,
      int duplicated) {
    @Override
    public String toString() {
      return String.format(
          "%-28s sent %5d | acked+stored %5d | unacked+stored %4d | unacked, not stored %4d"
              + " | lost %d | duplicated %d",
          client, sent, ackedStored, unackedStored, unackedNotStored, lost, duplicated);
    }
  }

  private final String client;
  private final Set<Long> sent = ConcurrentHashMap.newKeySet();
  private final Set<Long> acked = ConcurrentHashMap.newKeySet();

  public DeliveryLedger(String client) {
    this.client = client;
  }

  public void sent(long sequence) {
    sent.add(sequence);
  }

  public void acked(long sequence) {
    acked.add(sequence);
  }

  public int ackedCount() {
    return acked.size();
  }

  /**
   * Classifies every sent message against {@code storedCopies} (sequence number to the rows that
   * hold it). Take it after the load stopped: an acknowledgement arriving later only moves a
   * message from unacked to acked, never into lost.
   */
  public Verdict classify(Map<Long, Integer> storedCopies) {
    Set<Long> ackedNow = Set.copyOf(acked);
    int ackedStored = 0;
    int unackedStored = 0;
    int unackedNotStored = 0;
    int lost = 0;
    int duplicated = 0;
    for (long sequence : Set.copyOf(sent)) {
      int copies = storedCopies.getOrDefault(sequence, 0);
      if (copies > 1) {
        duplicated++;
      }
      if (ackedNow.contains(sequence)) {
        if (copies == 0) {
          lost++;
        } else {
          ackedStored++;
        }
      } else if (copies == 0) {
        unackedNotStored++;
      } else {
        unackedStored++;
      }
    }
    // A row no client ever sent would be a phantom: counted as duplicated, it fails the check.
    for (long sequence : storedCopies.keySet()) {
      if (!sent.contains(sequence)) {
        duplicated++;
      }
    }
    return new Verdict(
        client, sent.size(), ackedStored, unackedStored, unackedNotStored, lost, duplicated);
  }

  /** What the database holds of {@code deviceId}'s numbered documents: sequence number to rows. */
  public static Map<Long, Integer> storedCopies(Connection connection, String deviceId)
      throws SQLException {
    Map<Long, Integer> copies = new HashMap<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT (metrics->>'seq')::numeric::bigint AS seq, count(*) AS copies"
                + " FROM telemetry_documents WHERE device_id = ? GROUP BY 1")) {
      select.setString(1, deviceId);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          copies.put(rs.getLong("seq"), rs.getInt("copies"));
        }
      }
    }
    return copies;
  }
}
