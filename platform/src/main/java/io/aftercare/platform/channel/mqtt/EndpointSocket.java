package io.aftercare.platform.channel.mqtt;

import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.mqtt.MqttEndpoint;
import java.lang.reflect.Field;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the gateway needs from an MQTT client's socket that vertx-mqtt 5.0 does not expose on {@link
 * MqttEndpoint}: pausing reads, and coalescing the flushes of acknowledgements.
 *
 * <p>It reaches the socket through the endpoint's private {@code conn} field. If a future
 * vertx-mqtt renames the field, both degrade to what vertx-mqtt does on its own: the socket is not
 * paused (the connection's bound on parked messages, receiveMaximum, still caps memory: see {@code
 * MqttDeviceConnection}) and every acknowledgement is flushed by itself.
 */
final class EndpointSocket {

  private static final Logger LOG = LoggerFactory.getLogger(EndpointSocket.class);
  private static final Field SOCKET_FIELD = findSocketField();

  /**
   * Flushes held back at most: a drain of completed writes acks at most 256 messages per event-loop
   * turn (ContextQueue), so one connection's PUBACKs of a turn go out in one write.
   */
  private static final int MAX_HELD_FLUSHES = 256;

  private EndpointSocket() {}

  /**
   * MQTT 3.1.1 has no way to tell a publisher "not now", so when the write queue is full the
   * gateway stops reading its socket and TCP flow control slows the client down.
   */
  static void pause(MqttEndpoint endpoint) {
    NetSocketInternal socket = socketOf(endpoint);
    if (socket != null) {
      socket.pause();
    }
  }

  static void resume(MqttEndpoint endpoint) {
    NetSocketInternal socket = socketOf(endpoint);
    if (socket != null) {
      socket.resume();
    }
  }

  /**
   * Makes acknowledgements written outside a read share one flush per event-loop turn.
   *
   * <p>PUBACKs are written when a commit completes, not while the socket is being read, and Vert.x
   * flushes every such write at once: one {@code write} system call per acknowledged message
   * (206,000 in 5 s at 40,000 msg/s, more than the reads). Netty's flush consolidation defers those
   * flushes to the end of the current event-loop task, so the PUBACKs one drain completes for a
   * connection leave in one {@code write}. It pays only when a connection gets several
   * acknowledgements per commit; README, "What limits each figure". Call on the endpoint's event
   * loop.
   */
  static void coalesceFlushes(MqttEndpoint endpoint) {
    NetSocketInternal socket = socketOf(endpoint);
    if (socket != null) {
      socket
          .channelHandlerContext()
          .pipeline()
          .addFirst(new FlushConsolidationHandler(MAX_HELD_FLUSHES, true));
    }
  }

  private static NetSocketInternal socketOf(MqttEndpoint endpoint) {
    if (SOCKET_FIELD == null) {
      return null;
    }
    try {
      return SOCKET_FIELD.get(endpoint) instanceof NetSocketInternal socket ? socket : null;
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
              + " receiveMaximum, and every acknowledgement is flushed by itself",
          e);
      return null;
    }
  }
}
