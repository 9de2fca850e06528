package io.aftercare.gateway.device;

import io.aftercare.gateway.db.Jdbc;
import io.vertx.core.Future;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * Records when devices come online and go offline: a history row per change, and the summary on the
 * device. A change older than the one already recorded does not overwrite the summary, so that two
 * writes racing on worker threads cannot leave a stale state behind.
 */
public final class DeviceConnectivity {

  private final Jdbc jdbc;

  public DeviceConnectivity(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  public Future<Void> online(String deviceId, String protocol, Instant at) {
    return record(deviceId, true, protocol, "connected", at);
  }

  /**
   * @param reason why, e.g. {@code disconnected}, {@code keepalive_timeout}, {@code
   *     connection_lost}
   */
  public Future<Void> offline(String deviceId, String protocol, String reason, Instant at) {
    return record(deviceId, false, protocol, reason, at);
  }

  private Future<Void> record(
      String deviceId, boolean online, String protocol, String reason, Instant at) {
    return jdbc.transaction(
        connection -> {
          Timestamp ts = Timestamp.from(at);
          try (PreparedStatement history =
              connection.prepareStatement(
                  "INSERT INTO device_connectivity (device_id, ts, online, protocol, reason)"
                      + " VALUES (?, ?, ?, ?, ?)")) {
            history.setString(1, deviceId);
            history.setTimestamp(2, ts);
            history.setBoolean(3, online);
            history.setString(4, protocol);
            history.setString(5, reason);
            history.executeUpdate();
          }
          try (PreparedStatement summary =
              connection.prepareStatement(
                  "UPDATE devices SET online = ?, protocol = ?, online_changed_at = ?,"
                      + " last_seen_at = GREATEST(last_seen_at, ?)"
                      + " WHERE id = ? AND (online_changed_at IS NULL OR online_changed_at <= ?)")) {
            summary.setBoolean(1, online);
            summary.setString(2, protocol);
            summary.setTimestamp(3, ts);
            summary.setTimestamp(4, ts);
            summary.setString(5, deviceId);
            summary.setTimestamp(6, ts);
            summary.executeUpdate();
          }
          return null;
        });
  }
}
