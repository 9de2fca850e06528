package io.aftercare.platform.device;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Reads a device's {@link ServiceState} in the caller's transaction: where the platform decides to
 * store a link alarm or to ask for a ticket, which only an active device gets. Read there, not
 * kept, so a device put into maintenance is left alone from its very next alarm change.
 */
public final class ServiceStates {

  private ServiceStates() {}

  /** Whether the device is active; an unknown device is not. */
  public static boolean isActive(Connection c, String deviceId) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement("SELECT service_state FROM devices WHERE id = ?")) {
      select.setString(1, deviceId);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() && ServiceState.ACTIVE.wireName().equals(rs.getString("service_state"));
      }
    }
  }
}
