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
 *
 * <p>An online device's summary names the node holding its session ({@code online_node}). An
 * offline change from another node (its stale session of a device that reconnected elsewhere) is
 * kept in the history but leaves the summary alone.
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

  /** A previous run of the node holding the session ended (crashed) with it open. */
  public static final String GATEWAY_RESTART = "gateway_restart";

  /** The node holding the session stopped renewing its heartbeat; another node ended it. */
  public static final String NODE_LOST = "node_lost";

  /** A connectionless (CoAP) device did not report within its online window. */
  public static final String REPORT_OVERDUE = "report_overdue";

  private static final String CONNECTED = "connected";

  /**
   * Ends that are nobody's fault or by design: the device said goodbye, the platform stopped, or a
   * device without a connection went quiet (which absence rules judge). Anything else broke.
   */
  private static final Set<String> ENDED =
      Set.of(DISCONNECTED, GATEWAY_SHUTDOWN, GATEWAY_RESTART, NODE_LOST, REPORT_OVERDUE);

  /** Told of every recorded change, after its commit (the diagnostics engine watches these). */
  public interface Listener {
    void changed(String deviceId, LinkChange change, Instant at);
  }

  private final Jdbc jdbc;
  private final String node;
  private final UnrecordedTransitions unrecorded = new UnrecordedTransitions();
  private final AtomicBoolean retrying = new AtomicBoolean();
  private volatile Listener listener = (deviceId, change, at) -> {};

  /**
   * @param node the name of this node, recorded as the holder of the sessions it records online
   */
  public DeviceConnectivity(Jdbc jdbc, String node) {
    this.jdbc = jdbc;
    this.node = node;
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
                record(connection, transition, node);
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
                  if (record(connection, transition, node)) {
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
                      "UPDATE devices SET online = false, online_changed_at = ?, online_node = NULL"
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

  /** A session ended on behalf of the node that held it, at the time it ended. */
  public record EndedSession(String deviceId, Instant at) {}

  /**
   * Records offline, with {@code reason}, the devices the database shows connected over {@code
   * protocol} through {@code holder}, in the caller's transaction: sessions a node left open when
   * it crashed or died, since no connection outlives its node and a clean stop records its devices
   * offline itself. Each ended at {@code endedAt} (the node's last heartbeat), or at the device's
   * last message or change if later. With {@code alsoUnowned}, also those recorded before sessions
   * named their node (V100), which only the previous, single-node run can have left.
   */
  public static List<EndedSession> endSessionsHeldBy(
      Connection connection,
      String holder,
      boolean alsoUnowned,
      String protocol,
      Instant endedAt,
      String reason)
      throws SQLException {
    List<EndedSession> ended = new ArrayList<>();
    try (PreparedStatement end =
        connection.prepareStatement(
            "WITH ended AS (UPDATE devices SET online = false, online_node = NULL,"
                + "   online_changed_at = GREATEST(?, last_seen_at, online_changed_at)"
                + "   WHERE online AND protocol = ? AND (online_node = ? OR (? AND online_node IS NULL))"
                + "   RETURNING id, online_changed_at, protocol)"
                + " INSERT INTO device_connectivity (device_id, ts, online, protocol, reason)"
                + " SELECT id, online_changed_at, false, protocol, ? FROM ended"
                + " RETURNING device_id, ts")) {
      end.setTimestamp(1, Timestamp.from(endedAt));
      end.setString(2, protocol);
      end.setString(3, holder);
      end.setBoolean(4, alsoUnowned);
      end.setString(5, reason);
      try (ResultSet rs = end.executeQuery()) {
        while (rs.next()) {
          ended.add(new EndedSession(rs.getString("device_id"), rs.getTimestamp("ts").toInstant()));
        }
      }
    }
    return ended;
  }

  /** Tells the listener of sessions {@link #endSessionsHeldBy} ended, once they are committed. */
  public void announceEnded(List<EndedSession> sessions, String reason) {
    for (EndedSession session : sessions) {
      listener.changed(session.deviceId(), linkChange(false, reason), session.at());
    }
  }

  /**
   * Adds the history row; true when it also became the device's summary: it is the newest, and an
   * offline change comes from the node holding the session (or one that none holds).
   */
  private static boolean record(Connection connection, Transition transition, String node)
      throws SQLException {
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
            "UPDATE devices SET online = ?, protocol = ?, online_changed_at = ?, online_node = ?,"
                + " last_seen_at = GREATEST(last_seen_at, ?)"
                + " WHERE id = ? AND (online_changed_at IS NULL OR online_changed_at <= ?)"
                + " AND (? OR NOT online OR online_node IS NULL OR online_node = ?)")) {
      summary.setBoolean(1, transition.online());
      summary.setString(2, transition.protocol());
      summary.setTimestamp(3, ts);
      summary.setString(4, transition.online() ? node : null);
      summary.setTimestamp(5, ts);
      summary.setString(6, transition.deviceId());
      summary.setTimestamp(7, ts);
      summary.setBoolean(8, transition.online());
      summary.setString(9, node);
      return summary.executeUpdate() > 0;
    }
  }
}
