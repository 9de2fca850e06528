package io.aftercare.platform.live;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The open live-update streams, and the one place that sends to them.
 *
 * <p>All of its state belongs to one Vert.x context: streams are added and removed there, and every
 * send happens there, so it needs no locks. What costs per connection is only the connection
 * itself: no timer and no thread per stream, one periodic heartbeat for all of them. Telemetry goes
 * only to the streams that asked for that device, looked up in a map by device id, so devices
 * nobody watches cost one map lookup.
 */
public final class LiveHub implements AutoCloseable {

  /** How often every stream gets a comment line, within the usual 30-60 s proxy idle timeouts. */
  public static final Duration HEARTBEAT = Duration.ofSeconds(25);

  private final Vertx vertx;
  private final Context context;
  private final Clock clock;
  private final Duration heartbeat;
  private final Set<LiveStream> streams = new HashSet<>();
  // Written on the hub's context only; read from the telemetry writer's thread to skip devices
  // nobody watches without a hop.
  private final Map<String, Set<LiveStream>> byDevice = new ConcurrentHashMap<>();
  private final AtomicInteger open = new AtomicInteger();
  private long heartbeatTimer = -1;

  /**
   * @param clock what the heartbeat compares sessions' absolute ends with
   * @param heartbeat how often every stream is pinged ({@link #HEARTBEAT})
   */
  public LiveHub(Vertx vertx, Clock clock, Duration heartbeat, MeterRegistry meters) {
    this.vertx = vertx;
    // A context of its own (created off the event loops), so the hub never depends on the thread
    // of whichever request or listener reaches it.
    this.context = vertx.getOrCreateContext();
    this.clock = clock;
    this.heartbeat = heartbeat;
    Gauge.builder("aftercare.sse.connections", open, AtomicInteger::get)
        .description("Open live-update (Server-Sent Events) streams on this process")
        .register(meters);
  }

  public void start() {
    context.runOnContext(
        started -> heartbeatTimer = vertx.setPeriodic(heartbeat.toMillis(), tick -> onHeartbeat()));
  }

  /**
   * Turns the request's response into an event stream and sends it events from now on, until its
   * connection closes.
   *
   * @param staffName who opened it: their streams close when their account changes
   * @param sessionId the console session it was opened with, or null with a bearer token
   * @param expiresAt when that session ends for good, or null with a bearer token
   * @param deviceId the device whose telemetry it is sent, or null for none
   */
  public void open(
      HttpServerRequest request,
      String staffName,
      Long sessionId,
      Instant expiresAt,
      String deviceId) {
    HttpServerResponse response = request.response();
    response
        .setChunked(true)
        .putHeader("content-type", "text/event-stream; charset=utf-8")
        .putHeader("cache-control", "no-cache")
        // Tells an nginx in front not to buffer the stream.
        .putHeader("x-accel-buffering", "no")
        .setWriteQueueMaxSize(LiveStream.MAX_QUEUED_BYTES);
    LiveStream stream =
        new LiveStream(response, request.connection(), staffName, sessionId, deviceId, expiresAt);
    // Set on the connection's context before the stream is added: the removal is queued on the
    // hub after the addition, never before it. A connection already closed is never added.
    response.closeHandler(closed -> remove(stream));
    context.runOnContext(added -> add(stream));
  }

  private void add(LiveStream stream) {
    // The opening frame also sends the headers: the client knows it is connected.
    if (!stream.send(LiveEvents.OPENING)) {
      return;
    }
    streams.add(stream);
    open.set(streams.size());
    if (stream.deviceId() != null) {
      byDevice.computeIfAbsent(stream.deviceId(), id -> new HashSet<>()).add(stream);
    }
  }

  private void remove(LiveStream stream) {
    context.runOnContext(
        removed -> {
          if (!streams.remove(stream)) {
            return;
          }
          open.set(streams.size());
          if (stream.deviceId() != null) {
            Set<LiveStream> watchers = byDevice.get(stream.deviceId());
            if (watchers != null && watchers.remove(stream) && watchers.isEmpty()) {
              byDevice.remove(stream.deviceId());
            }
          }
        });
  }

  /** Sends an event to every stream. */
  public void broadcast(String event, String json) {
    Buffer frame = LiveEvents.event(event, json);
    context.runOnContext(send -> sendToAll(frame));
  }

  /** Whether some stream watches the device; callable from any thread. */
  public boolean watched(String deviceId) {
    return byDevice.containsKey(deviceId);
  }

  /** Sends the events, in order, to the streams that watch the device. */
  public void toWatchers(String deviceId, String event, List<String> jsons) {
    List<Buffer> frames = new ArrayList<>(jsons.size());
    for (String json : jsons) {
      frames.add(LiveEvents.event(event, json));
    }
    context.runOnContext(
        send -> {
          Set<LiveStream> watchers = byDevice.get(deviceId);
          if (watchers == null) {
            return;
          }
          for (LiveStream stream : watchers) {
            stream.send(frames);
          }
        });
  }

  /** Closes the streams of a staff member, e.g. after their account was disabled. */
  public void closeStaff(String staffName) {
    context.runOnContext(close -> closeWhere(stream -> stream.staffName().equals(staffName)));
  }

  /** Closes the streams opened with a console session that has ended. */
  public void closeSession(long sessionId) {
    context.runOnContext(
        close ->
            closeWhere(stream -> stream.sessionId() != null && stream.sessionId() == sessionId));
  }

  // Closing a stream only closes its connection; the stream is removed by a later task on this
  // context (remove), so iterating the live set here is safe.
  private void closeWhere(Predicate<LiveStream> condition) {
    for (LiveStream stream : streams) {
      if (condition.test(stream)) {
        stream.close();
      }
    }
  }

  /** Pings every stream, and closes those whose session has reached its absolute end. */
  private void onHeartbeat() {
    Instant now = clock.instant();
    closeWhere(stream -> stream.expiredAt(now));
    sendToAll(LiveEvents.PING);
  }

  private void sendToAll(Buffer frame) {
    for (LiveStream stream : streams) {
      stream.send(frame);
    }
  }

  @Override
  public void close() {
    context.runOnContext(
        closing -> {
          vertx.cancelTimer(heartbeatTimer);
          closeWhere(stream -> true);
        });
  }
}
