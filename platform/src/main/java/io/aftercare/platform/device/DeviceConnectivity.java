package io.aftercare.platform.device;

import io.aftercare.diagnostics.LinkChange;
import io.aftercare.platform.db.Jdbc;
import io.aftercare.platform.device.UnrecordedTransitions.Transition;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
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
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records when devices come online and go offline: a history row per change, and the summary on the
 * device. A change older than the one already recorded does not overwrite the summary, so that two
 * writes racing on worker threads cannot leave a stale state behind. A change that fails because
 * the database is away is written again once it is back ({@link #retryUnrecorded}); the same rule
 * keeps a late retry from overwriting a newer state.
 */
public final class DeviceConnectivity {

  private static final Logger LOG = LoggerFactory.getLogger(DeviceConnectivity.class);

  /** How often changes the database missed are tried again; a no-op while there are none. */
  private static final Duration RETRY_EVERY = Duration.ofSeconds(2);

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
  private final UnrecordedTransitions unrecorded = new UnrecordedTransitions();
  private final AtomicBoolean retrying = new AtomicBoolean();
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
    return write(List.of(new Transition(deviceId, true, protocol, CONNECTED, at)));
  }

  /**
   * A new connection of the device replaced its open one: recorded as the old one ending ({@link
   * #TAKEN_OVER}, which counts as dropped) and the new one starting, in that order, in one
   * transaction, so the device never shows offline.
   */
  public Future<Void> takenOver(String deviceId, String protocol, Instant at) {
    return write(
        List.of(
            new Transition(deviceId, false, protocol, TAKEN_OVER, at),
            new Transition(deviceId, true, protocol, CONNECTED, at)));
  }

  /**
   * @param reason why: one of this class's reasons, e.g. {@link #DISCONNECTED}, {@link
   *     #KEEPALIVE_TIMEOUT}, {@link #CONNECTION_LOST}
   */
  public Future<Void> offline(String deviceId, String protocol, String reason, Instant at) {
    return write(List.of(new Transition(deviceId, false, protocol, reason, at)));
  }

  /**
   * Writes again, every {@link #RETRY_EVERY}, the changes that failed because the database was
   * away, so that a device that disconnected during an outage does not stay online once it is back.
   */
  public void retryUnrecorded(Vertx vertx) {
    vertx.setPeriodic(RETRY_EVERY.toMillis(), id -> retryUnrecordedNow());
  }

  /** Changes waiting for the database to come back: devices that have one. */
  public int unrecordedDevices() {
    return unrecorded.size();
  }

  /** One device's changes in one transaction; kept for a retry if the database is away. */
  private Future<Void> write(List<Transition> transitions) {
    return jdbc.transaction(
            connection -> {
              for (Transition transition : transitions) {
                record(connection, transition);
              }
              return (Void) null;
            })
        .onSuccess(v -> transitions.forEach(this::announce))
        .onFailure(e -> keepForRetry(transitions, e));
  }

  private void keepForRetry(List<Transition> transitions, Throwable failure) {
    if (ServiceException.of(failure).failure() != Failure.STORE_UNAVAILABLE) {
      return;
    }
    if (!unrecorded.add(transitions)) {
      LOG.warn(
          "Too many devices wait for the database: {} is recorded at the next start instead",
          transitions.get(0).deviceId());
    }
  }

  private void retryUnrecordedNow() {
    List<List<Transition>> pending = unrecorded.pending();
    if (pending.isEmpty() || !retrying.compareAndSet(false, true)) {
      return;
    }
    jdbc.transaction(
            connection -> {
              List<Transition> changedSummary = new ArrayList<>();
              for (List<Transition> device : pending) {
                for (Transition transition : device) {
                  if (record(connection, transition)) {
                    changedSummary.add(transition);
                  }
                }
              }
              return changedSummary;
            })
        .onComplete(result -> retrying.set(false))
        .onSuccess(
            changedSummary -> {
              pending.forEach(unrecorded::written);
              LOG.info(
                  "Recorded the connectivity of {} devices that changed while the database was"
                      + " away",
                  pending.size());
              // A change a later one already superseded would tell the engine something stale.
              changedSummary.forEach(this::announce);
            });
  }

  private void announce(Transition transition) {
    listener.changed(
        transition.deviceId(),
        linkChange(transition.online(), transition.reason()),
        transition.at());
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

  /** Adds the history row; true when it also became the device's summary (it is the newest). */
  private static boolean record(Connection connection, Transition transition) throws SQLException {
    Timestamp ts = Timestamp.from(transition.at());
    try (PreparedStatement history =
        connection.prepareStatement(
            "INSERT INTO device_connectivity (device_id, ts, online, protocol, reason)"
                + " VALUES (?, ?, ?, ?, ?)")) {
      history.setString(1, transition.deviceId());
      history.setTimestamp(2, ts);
      history.setBoolean(3, transition.online());
      history.setString(4, transition.protocol());
      history.setString(5, transition.reason());
      history.executeUpdate();
    }
    try (PreparedStatement summary =
        connection.prepareStatement(
            "UPDATE devices SET online = ?, protocol = ?, online_changed_at = ?,"
                + " last_seen_at = GREATEST(last_seen_at, ?)"
                + " WHERE id = ? AND (online_changed_at IS NULL OR online_changed_at <= ?)")) {
      summary.setBoolean(1, transition.online());
      summary.setString(2, transition.protocol());
      summary.setTimestamp(3, ts);
      summary.setTimestamp(4, ts);
      summary.setString(5, transition.deviceId());
      summary.setTimestamp(6, ts);
      return summary.executeUpdate() > 0;
    }
  }
}
