package io.aftercare.gateway.mqtt;

import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import io.vertx.mqtt.MqttEndpoint;
import java.lang.reflect.Field;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the gateway does to an MQTT client's socket that vertx-mqtt 5.0 does not expose on {@link
 * MqttEndpoint}: pausing reads, and coalescing flushes. Both reach the endpoint's socket through
 * its private {@code conn} field. If a future vertx-mqtt renames the field, this degrades to doing
 * neither: slow MQTT 3.1.1 publishers are then bounded only by receiveMaximum (see {@code
 * MqttDeviceConnection}), and every acknowledgement is flushed on its own.
 */
final class EndpointSocket {

  private static final Logger LOG = LoggerFactory.getLogger(EndpointSocket.class);
  private static final Field SOCKET_FIELD = findSocketField();

  /** Flushes let through at once after this many were held back in one event-loop turn. */
  private static final int MAX_HELD_FLUSHES = 256;

  private EndpointSocket() {}

  /**
   * Stops reading the client's socket. MQTT 3.1.1 has no way to tell a publisher "not now", so when
   * the write queue is full TCP flow control slows the client down instead.
   */
  static void pause(MqttEndpoint endpoint) {
    NetSocket socket = socketOf(endpoint);
    if (socket != null) {
      socket.pause();
    }
  }

  static void resume(MqttEndpoint endpoint) {
    NetSocket socket = socketOf(endpoint);
    if (socket != null) {
      socket.resume();
    }
  }

  /**
   * Makes the writes of one event-loop turn leave in one flush. vertx-mqtt flushes each packet it
   * writes; the acknowledgements of one database commit are completed together on the event loop,
   * so a busy device's PUBACKs now share one system call (and one TCP segment) instead of taking
   * one each. Netty's handler flushes anything held before the channel closes.
   */
  static void coalesceFlushes(MqttEndpoint endpoint) {
    if (socketOf(endpoint) instanceof NetSocketInternal socket) {
      socket
          .channelHandlerContext()
          .pipeline()
          .addFirst(new FlushConsolidationHandler(MAX_HELD_FLUSHES, true));
    }
  }

  private static NetSocket socketOf(MqttEndpoint endpoint) {
    if (SOCKET_FIELD == null) {
      return null;
    }
    try {
      return SOCKET_FIELD.get(endpoint) instanceof NetSocket socket ? socket : null;
    } catch (IllegalAccessException | IllegalArgumentException e) {
      return null;
    }
  }

  private static Field findSocketField() {
    try {
      Field field = Class.forName("io.vertx.mqtt.impl.MqttEndpointImpl").getDeclaredField("conn");
      field.setAccessible(true);
      return field;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn(
          "Cannot reach MQTT sockets: slow MQTT 3.1.1 publishers are bounded only by"
              + " receiveMaximum, and acknowledgements are flushed one by one",
          e);
      return null;
    }
  }
}
