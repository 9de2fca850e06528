package io.aftercare.bridge;

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
 * Seals the customer references of cases and complaints still stored in clear (written before V96,
 * or by a tool writing the tables directly), giving the cases their blind index. Runs at start-up,
 * before the API opens, because the database never sees the data key and so no SQL migration can do
 * it. Archived cases are converted too: their trigger lets exactly this change through (V96).
 * Idempotent: a sealed value is never touched again, so a start interrupted half-way carries on at
 * the next one.
 */
public final class CaseFieldSealing {

  private static final int BATCH = 1_000;

  /** A table holding a customer reference, and its blind-index column if it is filtered on. */
  private enum SealedCaseColumn {
    TICKETS("tickets", "customer_ref_index"),
    COMPLAINTS("complaints", null);

    private final String table;
    private final String indexColumn;

    SealedCaseColumn(String table, String indexColumn) {
      this.table = table;
      this.indexColumn = indexColumn;
    }
  }

  private CaseFieldSealing() {}

  /**
   * Refuses to start when some references are sealed under another data key than the configured one
   * (a lost or replaced data key), naming both, rather than failing on every case read later.
   *
   * @throws IllegalStateException naming the key ids found
   */
  public static void requireSameKey(DataSource dataSource, SealedText sealed) {
    List<String> others = new ArrayList<>();
    try (Connection c = dataSource.getConnection()) {
      for (SealedCaseColumn column : SealedCaseColumn.values()) {
        try (PreparedStatement select =
                c.prepareStatement(
                    ("SELECT DISTINCT split_part(customer_ref, ':', 2) FROM %s"
                            + " WHERE customer_ref LIKE 'sv1:%%'")
                        .formatted(column.table));
            ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            if (!rs.getString(1).equals(sealed.keyId()) && !others.contains(rs.getString(1))) {
              others.add(rs.getString(1));
            }
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the sealed customer references of cases", e);
    }
    if (!others.isEmpty()) {
      throw new IllegalStateException(
          "customer references of cases are sealed under data key(s) "
              + others
              + " but the configured data key is "
              + sealed.keyId()
              + ": restore the data key (security.dataKey or <dataDir>/data.key)");
    }
  }

  /**
   * Seals every clear reference, a batch per transaction; returns how many.
   *
   * @throws IllegalStateException when the database fails: the platform must not start with
   *     references its filter cannot find
   */
  public static int sealAll(DataSource dataSource, SealedText sealed) {
    int total = 0;
    try {
      for (SealedCaseColumn column : SealedCaseColumn.values()) {
        int done;
        do {
          done = sealBatch(dataSource, sealed, column);
          total += done;
        } while (done == BATCH);
      }
      return total;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot seal the customer references stored in clear", e);
    }
  }

  private static int sealBatch(DataSource dataSource, SealedText sealed, SealedCaseColumn column)
      throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        Map<Long, String> clear = new LinkedHashMap<>();
        try (PreparedStatement select =
            c.prepareStatement(
                ("SELECT id, customer_ref FROM %s WHERE customer_ref IS NOT NULL"
                        + " AND customer_ref NOT LIKE 'sv1:%%' ORDER BY id LIMIT ? FOR UPDATE")
                    .formatted(column.table))) {
          select.setInt(1, BATCH);
          try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
              clear.put(rs.getLong(1), rs.getString(2));
            }
          }
        }
        String set =
            column.indexColumn == null
                ? "customer_ref = ?"
                : "customer_ref = ?, " + column.indexColumn + " = ?";
        try (PreparedStatement update =
            c.prepareStatement("UPDATE %s SET %s WHERE id = ?".formatted(column.table, set))) {
          for (Map.Entry<Long, String> row : clear.entrySet()) {
            int i = 1;
            update.setString(i++, sealed.seal(row.getValue()));
            if (column.indexColumn != null) {
              update.setString(i++, sealed.index(row.getValue()));
            }
            update.setLong(i, row.getKey());
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
