package io.aftercare.platform.device;

import io.aftercare.platform.db.Jdbc;
import io.vertx.core.Future;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Records when devices come online and go offline: a history row per change, and the summary on the
 * device. A change older than the one already recorded does not overwrite the summary, so that two
 * writes racing on worker threads cannot leave a stale state behind.
 */
public final class DeviceConnectivity {

  /** Told of every recorded change, after its commit (the diagnostics engine watches these). */
  public interface Listener {
    void changed(String deviceId, boolean online, Instant at);
  }

  private final Jdbc jdbc;
  private volatile Listener listener = (deviceId, online, at) -> {};

  public DeviceConnectivity(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  public void onChange(Listener listener) {
    this.listener = listener;
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

  /**
   * Marks offline, with {@code reason}, the devices shown online over {@code protocol} that have
   * not been seen for {@code window}: for connectionless channels (CoAP), where there is no
   * disconnect to notice. Completes with their ids.
   */
  public Future<List<String>> expire(String protocol, Duration window, String reason, Instant now) {
    return jdbc.transaction(
            connection -> {
              Timestamp ts = Timestamp.from(now);
              List<String> expired = new ArrayList<>();
              try (PreparedStatement summary =
                  connection.prepareStatement(
                      "UPDATE devices SET online = false, online_changed_at = ?"
                          + " WHERE online AND protocol = ? AND last_seen_at < ? RETURNING id")) {
                summary.setTimestamp(1, ts);
                summary.setString(2, protocol);
                summary.setTimestamp(3, Timestamp.from(now.minus(window)));
                try (ResultSet rs = summary.executeQuery()) {
                  while (rs.next()) {
                    expired.add(rs.getString(1));
                  }
                }
              }
              try (PreparedStatement history =
                  connection.prepareStatement(
                      "INSERT INTO device_connectivity (device_id, ts, online, protocol, reason)"
                          + " VALUES (?, ?, false, ?, ?)")) {
                for (String deviceId : expired) {
                  history.setString(1, deviceId);
                  history.setTimestamp(2, ts);
                  history.setString(3, protocol);
                  history.setString(4, reason);
                  history.addBatch();
                }
                history.executeBatch();
              }
              return expired;
            })
        .onSuccess(expired -> expired.forEach(deviceId -> listener.changed(deviceId, false, now)));
  }

  /**
   * Records offline, with reason {@code gateway_restart}, the devices the database still shows
   * connected over {@code protocol}: no connection outlives the process, and a clean stop records
   * its devices offline itself, so these are sessions a crash left open. Each ended when the
   * previous run stopped listening (its last heartbeat, or the device's last message if later).
   * Call it at start, before anything reads connectivity. Completes with their ids.
   */
  public Future<List<String>> endSessionsOfThePreviousRun(String protocol, Instant now) {
    return jdbc.transaction(
        connection -> {
          Timestamp ended = Timestamp.from(PlatformHeartbeat.last(connection).orElse(now));
          List<String> ids = new ArrayList<>();
          try (PreparedStatement end =
              connection.prepareStatement(
                  "WITH ended AS (UPDATE devices SET online = false,"
                      + "   online_changed_at = GREATEST(?, last_seen_at, online_changed_at)"
                      + "   WHERE online AND protocol = ? RETURNING id, online_changed_at, protocol)"
                      + " INSERT INTO device_connectivity (device_id, ts, online, protocol, reason)"
                      + " SELECT id, online_changed_at, false, protocol, 'gateway_restart' FROM ended"
                      + " RETURNING device_id")) {
            end.setTimestamp(1, ended);
            end.setString(2, protocol);
            try (ResultSet rs = end.executeQuery()) {
              while (rs.next()) {
                ids.add(rs.getString(1));
              }
            }
          }
          return ids;
        });
  }

  private Future<Void> record(
      String deviceId, boolean online, String protocol, String reason, Instant at) {
    return jdbc.<Void>transaction(
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
            })
        .onSuccess(v -> listener.changed(deviceId, online, at));
  }
}
