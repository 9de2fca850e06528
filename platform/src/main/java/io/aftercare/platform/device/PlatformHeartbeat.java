package io.aftercare.platform.device;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

/**
 * The one row that says when the platform last listened to its devices, renewed by the diagnostics
 * runner of every node on every tick and when it stops. After a crash the time from there to the
 * restart is not the devices' silence; with several nodes the platform listened as long as any node
 * did. When one node's own sessions ended is its heartbeat in {@code platform_nodes} instead
 * ({@code cluster.NodeSessions}); this row dates only the sessions of a run from before nodes had
 * names.
 */
public final class PlatformHeartbeat {

  private PlatformHeartbeat() {}

  public static void beat(Connection connection, Instant at) throws SQLException {
    try (PreparedStatement upsert =
        connection.prepareStatement(
            "INSERT INTO platform_heartbeat (listened_at) VALUES (?)"
                + " ON CONFLICT (id) DO UPDATE SET listened_at = excluded.listened_at")) {
      upsert.setTimestamp(1, Timestamp.from(at));
      upsert.executeUpdate();
    }
  }

  public static Optional<Instant> last(Connection connection) throws SQLException {
    try (PreparedStatement select =
            connection.prepareStatement("SELECT listened_at FROM platform_heartbeat");
        ResultSet rs = select.executeQuery()) {
      return rs.next() ? Optional.of(rs.getTimestamp("listened_at").toInstant()) : Optional.empty();
    }
  }
}
