package io.aftercare.platform.device;

import io.aftercare.domain.Identifiers;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The hub a device sits behind ({@code devices.hub_id}), checked in the transaction that provisions
 * or edits the device. When every device behind one hub goes offline together the hub is blamed
 * (docs/diagnostics.md, "Hubs"), which holds only if the assignment is sound:
 *
 * <ul>
 *   <li>the hub is another registered device;
 *   <li>one level: a hub sits behind no hub, and a device with devices behind it sits behind none
 *       (this also rules out cycles);
 *   <li>the device and its hub belong to the same home, since a hub failure is one of the home's
 *       alarms; editing a hub's home, or a device's, must keep that true.
 * </ul>
 */
final class HubAssignment {

  private HubAssignment() {}

  /** Before the write: {@code hubId}, if given, names a registered device other than itself. */
  static void checkHub(Connection c, String deviceId, String hubId) throws SQLException {
    if (hubId == null) {
      return;
    }
    if (!Identifiers.isDeviceId(hubId)) {
      throw invalid("hubId must be a device id");
    }
    if (hubId.equals(deviceId)) {
      throw invalid("a device cannot sit behind itself (hubId)");
    }
    try (PreparedStatement select = c.prepareStatement("SELECT 1 FROM devices WHERE id = ?")) {
      select.setString(1, hubId);
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next()) {
          throw invalid("hubId '" + hubId + "' is no registered device");
        }
      }
    }
  }

  /** After the write: the device's hub, and the devices behind it, are as the rules above say. */
  static void checkAfterWrite(Connection c, String deviceId) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT d.hub_id, h.hub_id IS NOT NULL AS hub_behind_hub,"
                + " d.hub_id IS NOT NULL AND (d.home_id_index IS NULL"
                + " OR h.home_id_index IS DISTINCT FROM d.home_id_index) AS hub_elsewhere,"
                + " EXISTS (SELECT 1 FROM devices x WHERE x.hub_id = d.id) AS is_hub,"
                + " EXISTS (SELECT 1 FROM devices x WHERE x.hub_id = d.id"
                + " AND x.home_id_index IS DISTINCT FROM d.home_id_index) AS behind_elsewhere"
                + " FROM devices d LEFT JOIN devices h ON h.id = d.hub_id WHERE d.id = ?")) {
      select.setString(1, deviceId);
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next()) {
          return;
        }
        String hubId = rs.getString("hub_id");
        if (rs.getBoolean("hub_behind_hub")) {
          throw invalid("hub '" + hubId + "' itself sits behind a hub: hubs are one level deep");
        }
        if (hubId != null && rs.getBoolean("is_hub")) {
          throw invalid("devices sit behind '" + deviceId + "': it cannot sit behind a hub");
        }
        if (rs.getBoolean("hub_elsewhere")) {
          throw invalid("a device and its hub must have the same homeId");
        }
        if (rs.getBoolean("behind_elsewhere")) {
          throw invalid(
              "devices behind '" + deviceId + "' are in another home: a hub keeps their homeId");
        }
      }
    }
  }

  private static ServiceException invalid(String message) {
    return new ServiceException(Failure.INVALID_INPUT, message);
  }
}
