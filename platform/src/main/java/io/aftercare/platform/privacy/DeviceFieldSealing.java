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
 * Seals the devices' personal fields ({@link SealedDeviceColumn}) still stored in clear (written
 * before V92/V93, or by a tool writing the table directly) and gives them their blind index. Runs
 * at start-up, before the API and the device channels open, because the database never sees the
 * data key and so no SQL migration can do it. Idempotent: a sealed value is never touched again, so
 * a start interrupted half-way simply carries on at the next one.
 */
public final class DeviceFieldSealing {

  private static final int BATCH = 1_000;

  private DeviceFieldSealing() {}

  /**
   * Refuses to start when some values are sealed under another data key than the configured one (a
   * lost or replaced {@code data.key}): failing here, naming both keys, beats every device read
   * failing later.
   *
   * @throws IllegalStateException naming the key ids found
   */
  public static void requireSameKey(DataSource dataSource, SealedText sealed) {
    List<String> others = new ArrayList<>();
    try (Connection c = dataSource.getConnection()) {
      for (SealedDeviceColumn column : SealedDeviceColumn.values()) {
        try (PreparedStatement select =
                c.prepareStatement(
                    "SELECT DISTINCT split_part(%1$s, ':', 2) FROM devices WHERE %1$s LIKE 'sv1:%%'"
                        .formatted(column.column()));
            ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            if (!rs.getString(1).equals(sealed.keyId()) && !others.contains(rs.getString(1))) {
              others.add(rs.getString(1));
            }
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the sealed device fields", e);
    }
    if (!others.isEmpty()) {
      throw new IllegalStateException(
          "device fields are sealed under data key(s) "
              + others
              + " but the configured data key is "
              + sealed.keyId()
              + ": restore the data key (security.dataKey or <dataDir>/data.key)");
    }
  }

  /**
   * Seals every clear value, a batch per transaction; returns how many.
   *
   * @throws IllegalStateException when the database fails: the platform must not start with values
   *     it cannot search
   */
  public static int sealAll(DataSource dataSource, SealedText sealed) {
    int total = 0;
    try {
      for (SealedDeviceColumn column : SealedDeviceColumn.values()) {
        int done;
        do {
          done = sealBatch(dataSource, sealed, column);
          total += done;
        } while (done == BATCH);
      }
      return total;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot seal the device fields stored in clear", e);
    }
  }

  private static int sealBatch(DataSource dataSource, SealedText sealed, SealedDeviceColumn column)
      throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        Map<String, String> clear = new LinkedHashMap<>();
        try (PreparedStatement select =
            c.prepareStatement(
                ("SELECT id, %1$s FROM devices WHERE %1$s IS NOT NULL AND %1$s NOT LIKE 'sv1:%%'"
                        + " ORDER BY id LIMIT ? FOR UPDATE")
                    .formatted(column.column()))) {
          select.setInt(1, BATCH);
          try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
              clear.put(rs.getString(1), rs.getString(2));
            }
          }
        }
        try (PreparedStatement update =
            c.prepareStatement(
                "UPDATE devices SET %s = ?, %s = ? WHERE id = ?"
                    .formatted(column.column(), column.indexColumn()))) {
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
