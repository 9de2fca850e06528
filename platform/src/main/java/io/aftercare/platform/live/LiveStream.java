package io.aftercare.platform.live;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerResponse;
import java.time.Instant;

/**
 * One open Server-Sent Events response and what decides its fate: whose it is (their streams close
 * when the account or session changes), the device whose telemetry it asked for, and when its
 * session ends. Only the {@link LiveHub}'s context sends to it or closes it.
 */
public final class LiveStream {

  /**
   * Bytes a stream may have waiting for its client before it counts as too slow and is closed: a
   * few hundred events, far more than a browser that is keeping up ever has queued.
   */
  public static final int MAX_QUEUED_BYTES = 64 * 1024;

  private final HttpServerResponse response;
  private final HttpConnection connection;
  private final String staffName;
  private final Long sessionId;
  private final String deviceId;
  private final Instant expiresAt;
  private boolean closed;

  /**
   * @param sessionId the console session it was opened with, or null with a bearer token
   * @param deviceId the device whose telemetry it is sent, or null for none
   * @param expiresAt when its session ends for good, or null with a bearer token
   */
  public LiveStream(
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

  /**
   * Writes the frame, or closes the stream when its client has not taken what it was sent before: a
   * slow consumer must not make the platform hold an unbounded backlog for it.
   *
   * @return false when the stream is (now) closed
   */
  boolean send(Buffer frame) {
    if (closed || response.closed()) {
      closed = true;
      return false;
    }
    if (response.writeQueueFull()) {
      close();
      return false;
    }
    response.write(frame);
    return true;
  }

  /** Closes the connection; a browser's EventSource reconnects and is authenticated afresh. */
  void close() {
    if (!closed) {
      closed = true;
      connection.close();
    }
  }
}
