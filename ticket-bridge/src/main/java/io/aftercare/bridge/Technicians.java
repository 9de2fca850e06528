package io.aftercare.bridge;

import java.sql.Array;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * SQL for technician profiles, and the qualification rule of dispatch (docs/dispatch.md), inside
 * the caller's transaction.
 */
final class Technicians {

  /** The device type of a case that names no device: no skill can be checked against it. */
  private static final String UNKNOWN_DEVICE_TYPE = DeviceFacts.UNKNOWN.type();

  private static final String COLUMNS =
      "name, skills, region, certification, certification_expires_on, active, updated_at,"
          + " updated_by";

  private Technicians() {}

  static Technician put(
      Connection c, String name, TechnicianProfile profile, String actor, Instant now)
      throws SQLException {
    try (PreparedStatement upsert =
        c.prepareStatement(
            "INSERT INTO technicians (name, skills, region, certification,"
                + " certification_expires_on, active, updated_at, updated_by)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET"
                + " skills = excluded.skills, region = excluded.region,"
                + " certification = excluded.certification,"
                + " certification_expires_on = excluded.certification_expires_on,"
                + " active = excluded.active, updated_at = excluded.updated_at,"
                + " updated_by = excluded.updated_by")) {
      upsert.setString(1, name);
      upsert.setArray(2, c.createArrayOf("text", profile.skills().toArray()));
      upsert.setString(3, profile.region());
      Technician.Certification certification = profile.certification();
      upsert.setString(4, certification == null ? null : certification.name());
      upsert.setDate(5, certification == null ? null : Date.valueOf(certification.expiresOn()));
      upsert.setBoolean(6, profile.active());
      upsert.setTimestamp(7, Timestamp.from(now));
      upsert.setString(8, actor);
      upsert.executeUpdate();
    }
    return find(c, name).orElseThrow();
  }

  /** Takes {@code name} out of dispatch, if it has a profile. */
  static void deactivate(Connection c, String name, String actor, Instant now) throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE technicians SET active = false, updated_at = ?, updated_by = ?"
                + " WHERE name = ? AND active")) {
      update.setTimestamp(1, Timestamp.from(now));
      update.setString(2, actor);
      update.setString(3, name);
      update.executeUpdate();
    }
  }

  static Optional<Technician> find(Connection c, String name) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement("SELECT " + COLUMNS + " FROM technicians WHERE name = ?")) {
      select.setString(1, name);
      return Rows.first(all(select));
    }
  }

  /** Technicians by name; a null filter means any. */
  static List<Technician> list(Connection c, String deviceType, String region) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM technicians WHERE (?::text IS NULL OR ? = ANY (skills))"
                + " AND (?::text IS NULL OR region = ?) ORDER BY name")) {
      select.setString(1, deviceType);
      select.setString(2, deviceType);
      select.setString(3, region);
      select.setString(4, region);
      return all(select);
    }
  }

  /**
   * Refuses (400, naming {@code field}) anyone who may not be sent to a device of {@code
   * deviceType} on {@code day}: no profile, inactive, not skilled for the type, or without a
   * certification valid that day. A case naming no device has no type to check the skills against.
   */
  static Technician requireQualified(
      Connection c, String field, String name, String deviceType, LocalDate day)
      throws SQLException {
    Technician technician =
        find(c, name).orElseThrow(() -> invalid("'" + field + "' names no technician: " + name));
    if (!technician.active()) {
      throw invalid("'" + field + "' " + name + " is not an active technician");
    }
    if (!UNKNOWN_DEVICE_TYPE.equals(deviceType) && !technician.skills().contains(deviceType)) {
      throw invalid("'" + field + "' " + name + " is not skilled for device type " + deviceType);
    }
    Technician.Certification certification = technician.certification();
    if (certification == null) {
      throw invalid("'" + field + "' " + name + " holds no certification");
    }
    if (certification.expiresOn().isBefore(day)) {
      throw invalid(
          "'"
              + field
              + "' "
              + name
              + "'s certification "
              + certification.name()
              + " expired on "
              + certification.expiresOn()
              + " (needed valid on "
              + day
              + ")");
    }
    return technician;
  }

  private static List<Technician> all(PreparedStatement select) throws SQLException {
    List<Technician> technicians = new ArrayList<>();
    try (ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        Array skills = rs.getArray("skills");
        String certification = rs.getString("certification");
        technicians.add(
            new Technician(
                rs.getString("name"),
                List.copyOf(Arrays.asList((String[]) skills.getArray())),
                rs.getString("region"),
                certification == null
                    ? null
                    : new Technician.Certification(
                        certification, rs.getObject("certification_expires_on", LocalDate.class)),
                rs.getBoolean("active"),
                rs.getTimestamp("updated_at").toInstant(),
                rs.getString("updated_by")));
      }
    }
    return technicians;
  }

  private static BridgeException invalid(String message) {
    return new BridgeException(BridgeException.Kind.INVALID, message);
  }
}
