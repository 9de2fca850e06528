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
 * Seals the customer references of cases, complaints and customer reports on cases' timelines still
 * stored in clear (written before V96/V97, or by a tool writing the tables directly), giving the
 * cases their blind index. Runs at start-up, before the API opens, because the database never sees
 * the data key and so no SQL migration can do it. Archived cases are converted too: their trigger
 * lets exactly this change through (V96). Idempotent: a sealed value is never touched again, so a
 * start interrupted half-way carries on at the next one.
 */
public final class CaseFieldSealing {

  private static final int BATCH = 1_000;

  /**
   * Where the desk keeps a customer reference: the table, the reference's SQL expression, which
   * rows hold one, and the update storing the sealed form (and the blind index of the columns the
   * ticket list filters on).
   */
  private enum SealedCaseField {
    TICKETS(
        "tickets",
        "customer_ref",
        "true",
        "UPDATE tickets SET customer_ref = ?, customer_ref_index = ? WHERE id = ?",
        true),
    COMPLAINTS(
        "complaints",
        "customer_ref",
        "true",
        "UPDATE complaints SET customer_ref = ? WHERE id = ?",
        false),
    CUSTOMER_REPORTS(
        "ticket_timeline",
        "detail->>'customerRef'",
        "kind = 'customer_report'",
        "UPDATE ticket_timeline SET detail = jsonb_set(detail, '{customerRef}', to_jsonb(?::text))"
            + " WHERE id = ?",
        false);

    private final String table;
    private final String stored;
    private final String rows;
    private final String update;
    private final boolean indexed;

    SealedCaseField(String table, String stored, String rows, String update, boolean indexed) {
      this.table = table;
      this.stored = stored;
      this.rows = rows;
      this.update = update;
      this.indexed = indexed;
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
      for (SealedCaseField field : SealedCaseField.values()) {
        try (PreparedStatement select =
                c.prepareStatement(
                    "SELECT DISTINCT split_part(%2$s, ':', 2) FROM %1$s WHERE %3$s AND %2$s LIKE 'sv1:%%'"
                        .formatted(field.table, field.stored, field.rows));
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
      for (SealedCaseField field : SealedCaseField.values()) {
        int done;
        do {
          done = sealBatch(dataSource, sealed, field);
          total += done;
        } while (done == BATCH);
      }
      return total;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot seal the customer references stored in clear", e);
    }
  }

  private static int sealBatch(DataSource dataSource, SealedText sealed, SealedCaseField field)
      throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        Map<Long, String> clear = new LinkedHashMap<>();
        try (PreparedStatement select =
            c.prepareStatement(
                ("SELECT id, %2$s FROM %1$s WHERE %3$s AND %2$s NOT LIKE 'sv1:%%'"
                        + " ORDER BY id LIMIT ? FOR UPDATE")
                    .formatted(field.table, field.stored, field.rows))) {
          select.setInt(1, BATCH);
          try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
              clear.put(rs.getLong(1), rs.getString(2));
            }
          }
        }
        try (PreparedStatement update = c.prepareStatement(field.update)) {
          for (Map.Entry<Long, String> row : clear.entrySet()) {
            int i = 1;
            update.setString(i++, sealed.seal(row.getValue()));
            if (field.indexed) {
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
