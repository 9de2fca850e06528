package io.aftercare.gateway.diagnostics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

/**
 * The one row that says when the platform last listened to its devices. Without it a restart could
 * not tell a device's silence from the platform's own downtime.
 */
final class PlatformHeartbeat {

  private PlatformHeartbeat() {}

  static void beat(Connection connection, Instant at) throws SQLException {
    try (PreparedStatement upsert =
        connection.prepareStatement(
            "INSERT INTO platform_heartbeat (listened_at) VALUES (?)"
                + " ON CONFLICT (id) DO UPDATE SET listened_at = excluded.listened_at")) {
      upsert.setTimestamp(1, Timestamp.from(at));
      upsert.executeUpdate();
    }
  }

  static Optional<Instant> last(Connection connection) throws SQLException {
    try (PreparedStatement select =
            connection.prepareStatement("SELECT listened_at FROM platform_heartbeat");
        ResultSet rs = select.executeQuery()) {
      return rs.next() ? Optional.of(rs.getTimestamp(1).toInstant()) : Optional.empty();
    }
  }
}
