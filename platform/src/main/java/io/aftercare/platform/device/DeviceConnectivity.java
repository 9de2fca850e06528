package io.aftercare.platform.device;

import io.aftercare.diagnostics.LinkChange;
import io.aftercare.platform.db.Jdbc;
import io.vertx.core.Future;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Records when devices come online and go offline: a history row per change, and the summary on the
 * device. A change older than the one already recorded does not overwrite the summary, so that two
 * writes racing on worker threads cannot leave a stale state behind.
 */
public final class DeviceConnectivity {

  /** The device closed its connection itself (MQTT DISCONNECT). */
  public static final String DISCONNECTED = "disconnected";

  /** The connection closed without a DISCONNECT: the network or the device failed. */
  public static final String CONNECTION_LOST = "connection_lost";

  /** The device sent nothing for longer than its keep-alive allows. */
  public static final String KEEPALIVE_TIMEOUT = "keepalive_timeout";

  /** A new connection of the same device replaced this one. */
  private static final String TAKEN_OVER = "taken_over";

  /** The platform closed the connection because it was stopping. */
  public static final String GATEWAY_SHUTDOWN = "gateway_shutdown";

  /** A previous run of the platform ended (crashed) with the session open. */
  private static final String GATEWAY_RESTART = "gateway_restart";

  /** A connectionless (CoAP) device did not report within its online window. */
  public static final String REPORT_OVERDUE = "report_overdue";

  private static final String CONNECTED = "connected";

  /**
   * Ends that are nobody's fault or by design: the device said goodbye, the platform stopped, or a
   * device without a connection went quiet (which absence rules judge). Anything else broke.
   */
  private static final Set<String> ENDED =
      Set.of(DISCONNECTED, GATEWAY_SHUTDOWN, GATEWAY_RESTART, REPORT_OVERDUE);

  /** Told of every recorded change, after its commit (the diagnostics engine watches these). */
  public interface Listener {
    void changed(String deviceId, LinkChange change, Instant at);
  }

  private final Jdbc jdbc;
  private volatile Listener listener = (deviceId, change, at) -> {};

  public DeviceConnectivity(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  public void onChange(Listener listener) {
    this.listener = listener;
  }

  /** What a recorded row means for the link: connected, ended as intended, or dropped. */
  public static LinkChange linkChange(boolean online, String reason) {
    if (online) {
      return LinkChange.CONNECTED;
    }
    return ENDED.contains(reason) ? LinkChange.ENDED : LinkChange.DROPPED;
  }

  public Future<Void> online(String deviceId, String protocol, Instant at) {
    return jdbc.<Void>transaction(
            connection -> {
              record(connection, deviceId, true, protocol, CONNECTED, at);
              return null;
            })
        .onSuccess(v -> listener.changed(deviceId, LinkChange.CONNECTED, at));
  }

  /**
   * A new connection of the device replaced its open one: recorded as the old one ending ({@link
   * #TAKEN_OVER}, which counts as dropped) and the new one starting, in that order, in one
   * transaction, so the device never shows offline.
   */
  public Future<Void> takenOver(String deviceId, String protocol, Instant at) {
    return jdbc.<Void>transaction(
            connection -> {
              record(connection, deviceId, false, protocol, TAKEN_OVER, at);
              record(connection, deviceId, true, protocol, CONNECTED, at);
              return null;
            })
        .onSuccess(
            v -> {
              listener.changed(deviceId, LinkChange.DROPPED, at);
              listener.changed(deviceId, LinkChange.CONNECTED, at);
            });
  }

  /**
   * @param reason why: one of this class's reasons, e.g. {@link #DISCONNECTED}, {@link
   *     #KEEPALIVE_TIMEOUT}, {@link #CONNECTION_LOST}
   */
  public Future<Void> offline(String deviceId, String protocol, String reason, Instant at) {
    return jdbc.<Void>transaction(
            connection -> {
              record(connection, deviceId, false, protocol, reason, at);
              return null;
            })
        .onSuccess(v -> listener.changed(deviceId, linkChange(false, reason), at));
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
                    expired.add(rs.getString("id"));
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
        .onSuccess(
            expired ->
                expired.forEach(
                    deviceId -> listener.changed(deviceId, linkChange(false, reason), now)));
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
                      + " SELECT id, online_changed_at, false, protocol, ? FROM ended"
                      + " RETURNING device_id")) {
            end.setTimestamp(1, ended);
            end.setString(2, protocol);
            end.setString(3, GATEWAY_RESTART);
            try (ResultSet rs = end.executeQuery()) {
              while (rs.next()) {
                ids.add(rs.getString("device_id"));
              }
            }
          }
          return ids;
        });
  }

  private static void record(
      Connection connection,
      String deviceId,
      boolean online,
      String protocol,
      String reason,
      Instant at)
      throws SQLException {
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
  }
}
