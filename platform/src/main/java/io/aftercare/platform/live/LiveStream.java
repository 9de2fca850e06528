package io.aftercare.platform.live;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.impl.ConnectionBase;
import java.time.Instant;
import java.util.List;

/**
 * One open Server-Sent Events response and what decides its fate: whose it is (their streams close
 * when the account or session changes), the device whose telemetry it asked for, and when its
 * session ends. Only the {@link LiveHub}'s context sends to it or closes it.
 */
final class LiveStream {

  /**
   * Bytes a stream may have waiting for its client before it counts as too slow and is closed:
   * thousands of alarm or command events, far more than a browser that keeps up ever has queued.
   * One device message (up to 1,000 documents) is sent whole once started, so the backlog is
   * bounded by this plus one message's telemetry.
   */
  static final int MAX_QUEUED_BYTES = 256 * 1024;

  private final HttpServerResponse response;
  private final HttpConnection connection;
  private final String staffName;
  private final Long sessionId;
  private final String deviceId;
  private final Instant expiresAt;
  private boolean closed;

  LiveStream(
      HttpServerResponse response,
      HttpConnection connection,
      String staffName,
      Long sessionId,
      String deviceId,
      Instant expiresAt) {
    this.response = response;
    this.connection = connection;
    this.staffName = staffName;
    this.sessionId = sessionId;
    this.deviceId = deviceId;
    this.expiresAt = expiresAt;
  }

  String staffName() {
    return staffName;
  }

  Long sessionId() {
    return sessionId;
  }

  String deviceId() {
    return deviceId;
  }

  boolean expiredAt(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }

  boolean send(Buffer frame) {
    return send(List.of(frame));
  }

  /**
   * Writes the frames, or closes the stream when its client has not taken what it was sent before:
   * a slow consumer must not make the platform hold an unbounded backlog for it.
   *
   * @return false when the stream is (now) closed
   */
  boolean send(List<Buffer> frames) {
    if (closed || response.closed()) {
      closed = true;
      return false;
    }
    if (response.writeQueueFull()) {
      close();
      return false;
    }
    for (Buffer frame : frames) {
      response.write(frame);
    }
    return true;
  }

  /**
   * Closes the connection at once; a browser's EventSource reconnects and is authenticated afresh.
   *
   * <p>Vert.x's own close is queued behind what is waiting to be written, so for a client that
   * stopped reading it would never happen. The close is therefore started from Vert.x's handler in
   * the Netty pipeline, which passes it straight to the socket; the queued bytes are dropped.
   * (Should a Vert.x upgrade change its connection class, this falls back to the queued close; such
   * a stream is still sent nothing more.)
   */
  void close() {
    if (!closed) {
      closed = true;
      if (connection instanceof ConnectionBase socket) {
        socket.channelHandlerContext().close();
      } else {
        connection.close();
      }
    }
  }
}
