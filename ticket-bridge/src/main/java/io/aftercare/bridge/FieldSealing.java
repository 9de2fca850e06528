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
 * Converts the stored form of {@link SealedField}s, a small batch per transaction: at start-up,
 * values still in clear (written before sealing existed, or by a tool writing a table directly) to
 * the sealed form with their blind index; in the background after a key rotation, values sealed
 * under the previous data key to the current one. No SQL migration can do either, since the
 * database never sees the data key. Idempotent: a value sealed under the current key is never
 * touched again, so an interrupted conversion simply carries on at the next run.
 */
public final class FieldSealing {

  private final DataSource dataSource;
  private final SealedText sealed;
  private final int batch;

  /**
   * @param batch rows per transaction: small, so that a conversion holds row locks briefly
   */
  public FieldSealing(DataSource dataSource, SealedText sealed, int batch) {
    this.dataSource = dataSource;
    this.sealed = sealed;
    this.batch = batch;
  }

  /**
   * Refuses to start when some values are sealed under a key that is neither the data key nor the
   * previous one (a lost or replaced key, or a previous key dropped before its re-seal finished):
   * failing here, naming the keys, beats every read of those values failing later.
   *
   * @throws IllegalStateException naming the fields and key ids found
   */
  public void requireKnownKeys(List<SealedField> fields) {
    Map<String, List<String>> unknown = new LinkedHashMap<>();
    try (Connection c = dataSource.getConnection()) {
      for (SealedField field : fields) {
        try (PreparedStatement select =
                c.prepareStatement(
                    "SELECT DISTINCT split_part(%2$s, ':', 2) FROM %1$s WHERE %3$s AND %2$s LIKE 'sv1:%%'"
                        .formatted(field.table(), field.stored(), field.rows()));
            ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            if (!sealed.opens(rs.getString(1))) {
              unknown.computeIfAbsent(field.name(), name -> new ArrayList<>()).add(rs.getString(1));
            }
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the sealed fields", e);
    }
    if (!unknown.isEmpty()) {
      throw new IllegalStateException(
          "values are sealed under data key(s) "
              + unknown
              + " but the configured data key is "
              + sealed.keyId()
              + sealed.previousKeyId().map(id -> " and the previous one " + id).orElse("")
              + ": restore the data key (security.dataKey or <dataDir>/data.key), or the previous"
              + " one (security.dataKeyPrevious or <dataDir>/data.key.previous) until the re-seal"
              + " has finished");
    }
  }

  /**
   * Seals every value still in clear; returns how many.
   *
   * @throws IllegalStateException when the database fails: the platform must not start with values
   *     its filters cannot find
   */
  public int sealClear(List<SealedField> fields) {
    int total = 0;
    for (SealedField field : fields) {
      int done;
      do {
        done = convertBatch(field, "%s NOT LIKE 'sv1:%%'".formatted(field.stored()));
        total += done;
      } while (done == batch);
    }
    return total;
  }

  /**
   * Re-seals one batch of {@code field}'s values sealed under another key than the current one (the
   * previous key, after a rotation); returns how many, fewer than a batch when none are left.
   */
  public int resealBatch(SealedField field) {
    return convertBatch(
        field,
        "%1$s LIKE 'sv1:%%' AND %1$s NOT LIKE 'sv1:%2$s:%%'"
            .formatted(field.stored(), sealed.keyId()));
  }

  /** Rows per transaction. */
  public int batch() {
    return batch;
  }

  private int convertBatch(SealedField field, String which) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        Map<Object, String> stored = new LinkedHashMap<>();
        try (PreparedStatement select =
            c.prepareStatement(
                "SELECT %2$s, %3$s FROM %1$s WHERE %4$s AND %3$s IS NOT NULL AND %5$s ORDER BY %2$s LIMIT ? FOR UPDATE"
                    .formatted(field.table(), field.id(), field.stored(), field.rows(), which))) {
          select.setInt(1, batch);
          try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
              stored.put(rs.getObject(1), rs.getString(2));
            }
          }
        }
        try (PreparedStatement update = c.prepareStatement(field.update())) {
          for (Map.Entry<Object, String> row : stored.entrySet()) {
            String clear = sealed.open(row.getValue());
            int i = 1;
            update.setString(i++, sealed.seal(clear));
            if (field.indexed()) {
              update.setString(i++, sealed.index(clear));
            }
            update.setObject(i, row.getKey());
            update.addBatch();
          }
          update.executeBatch();
        }
        c.commit();
        return stored.size();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot seal " + field.name(), e);
    }
  }
}
