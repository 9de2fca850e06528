package io.aftercare.platform.privacy;

import io.aftercare.bridge.SealedText;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Seals the devices' customer references still stored in clear (written before V92, or by a tool
 * writing the table directly) and gives them their blind index. Runs at start-up, before the API
 * and the device channels open, because the database never sees the data key and so no SQL
 * migration can do it. Idempotent: a sealed row is never touched again, so a start interrupted
 * half-way simply carries on at the next one.
 */
public final class CustomerRefSealing {

  private static final int BATCH = 1_000;

  private CustomerRefSealing() {}

  /**
   * Refuses to start when some references are sealed under another data key than the configured one
   * (a lost or replaced {@code data.key}): failing here, naming both keys, beats every device read
   * failing later.
   *
   * @throws IllegalStateException naming the key ids found
   */
  public static void requireSameKey(DataSource dataSource, SealedText sealed) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement select =
            c.prepareStatement(
                "SELECT DISTINCT split_part(customer_ref, ':', 2) FROM devices"
                    + " WHERE customer_ref LIKE 'sv1:%'");
        ResultSet rs = select.executeQuery()) {
      List<String> others = new ArrayList<>();
      while (rs.next()) {
        if (!rs.getString(1).equals(sealed.keyId())) {
          others.add(rs.getString(1));
        }
      }
      if (!others.isEmpty()) {
        throw new IllegalStateException(
            "customer references are sealed under data key(s) "
                + others
                + " but the configured data key is "
                + sealed.keyId()
                + ": restore the data key (security.dataKey or <dataDir>/data.key)");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the sealed customer references", e);
    }
  }

  /**
   * Seals every clear customer reference, a batch per transaction; returns how many.
   *
   * @throws IllegalStateException when the database fails: the platform must not start with
   *     references it cannot search
   */
  public static int sealAll(DataSource dataSource, SealedText sealed) {
    int total = 0;
    try {
      while (true) {
        int done = sealBatch(dataSource, sealed);
        total += done;
        if (done < BATCH) {
          return total;
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot seal the customer references stored in clear", e);
    }
  }

  private static int sealBatch(DataSource dataSource, SealedText sealed) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        Map<String, String> clear = new LinkedHashMap<>();
        try (PreparedStatement select =
            c.prepareStatement(
                "SELECT id, customer_ref FROM devices WHERE customer_ref IS NOT NULL"
                    + " AND customer_ref NOT LIKE 'sv1:%' ORDER BY id LIMIT ? FOR UPDATE")) {
          select.setInt(1, BATCH);
          try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
              clear.put(rs.getString("id"), rs.getString("customer_ref"));
            }
          }
        }
        try (PreparedStatement update =
            c.prepareStatement(
                "UPDATE devices SET customer_ref = ?, customer_ref_index = ? WHERE id = ?")) {
          for (Map.Entry<String, String> row : clear.entrySet()) {
            update.setString(1, sealed.seal(row.getValue()));
            update.setString(2, sealed.index(row.getValue()));
            update.setString(3, row.getKey());
            update.addBatch();
          }
          update.executeBatch();
        }
        c.commit();
        return clear.size();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }
}
