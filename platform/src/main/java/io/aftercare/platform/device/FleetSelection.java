package io.aftercare.platform.device;

import io.aftercare.bridge.SealedText;
import io.aftercare.platform.sessions.HealthScore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The fleet list's filters as SQL, in one place: the fleet list pages through what they match, and
 * a bulk command selects its target devices with the very same conditions.
 */
public final class FleetSelection {

  /**
   * What the filters select: the FROM clause (devices, joined with what a health filter needs), a
   * WHERE clause starting with " WHERE", and its parameters, in order.
   */
  record Where(String from, String sql, List<Object> values) {}

  private FleetSelection() {}

  /**
   * The conditions of every filter {@code query} gives (its sort and position are ignored); the
   * home and customer filters match the blind index {@code sealed} computes, the values themselves
   * being sealed at rest.
   */
  static Where filters(DeviceListQuery query, SealedText sealed) {
    StringBuilder where = new StringBuilder(" WHERE true");
    List<Object> values = new ArrayList<>();
    if (query.idPrefix() != null) {
      // LIKE with the prefix's wildcards escaped: unlike starts_with, a range of V81's pattern
      // index.
      where.append(" AND id LIKE ? ESCAPE '\\'");
      values.add(likePrefix(query.idPrefix()));
    }
    equal(where, values, "type", query.type());
    // As the sort keys and their indexes spell them (V70, V81); a filter value is never empty, so
    // the missing attribute the coalesce turns into '' never matches.
    equal(where, values, DeviceListQuery.Sort.MODEL.key(), query.model());
    equal(where, values, DeviceListQuery.Sort.FIRMWARE.key(), query.firmware());
    // During a key rotation a row may still carry the previous key's index: match either.
    anyOf(where, values, "home_id_index", sealed.indexes(query.homeId()));
    anyOf(where, values, "customer_ref_index", sealed.indexes(query.customerRef()));
    equal(where, values, "region", query.region());
    if (query.online() != null) {
      where.append(" AND online = ?");
      values.add(query.online());
    }
    if (query.hasOpenAlarm() != null) {
      where.append(query.hasOpenAlarm() ? " AND" : " AND NOT");
      where.append(
          " EXISTS (SELECT 1 FROM alarms a WHERE a.device_id = devices.id"
              + " AND a.status <> 'cleared')");
    }
    String from = " FROM devices";
    // Every score is at most 100: above that the filter holds for every device.
    if (query.healthBelow() != null && query.healthBelow() <= 100) {
      from += HealthScore.join(query.healthBelow());
      where.append(HealthScore.candidates(query.healthBelow()));
      where.append(" AND ").append(HealthScore.SQL).append(" < ?");
      values.add(Timestamp.from(query.now()));
      values.add(query.healthBelow());
    }
    return new Where(from, where.toString(), values);
  }

  /**
   * The ids of the devices in service (decommissioned ones left out) that the filters of {@code
   * query} match, by id, at most {@code limit}; read in the caller's transaction.
   */
  public static List<String> inService(
      Connection c, DeviceListQuery query, SealedText sealed, int limit) throws SQLException {
    Where where = filters(query, sealed);
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT devices.id"
                + where.from()
                + where.sql()
                + " AND service_state <> 'decommissioned' ORDER BY id LIMIT ?")) {
      int i = 1;
      for (Object value : where.values()) {
        select.setObject(i++, value);
      }
      select.setInt(i, limit);
      List<String> ids = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
      return ids;
    }
  }

  /** {@code prefix%} with LIKE's own characters in the prefix escaped. */
  private static String likePrefix(String prefix) {
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
  }

  private static void equal(StringBuilder where, List<Object> values, String column, String value) {
    if (value != null) {
      where.append(" AND ").append(column).append(" = ?");
      values.add(value);
    }
  }

  private static void anyOf(
      StringBuilder where, List<Object> values, String column, List<String> candidates) {
    if (!candidates.isEmpty()) {
      where
          .append(" AND ")
          .append(column)
          .append(" IN (")
          .append(String.join(", ", Collections.nCopies(candidates.size(), "?")))
          .append(")");
      values.addAll(candidates);
    }
  }
}
