package io.aftercare.gateway.mqtt;

import io.vertx.core.net.NetSocket;
import io.vertx.mqtt.MqttEndpoint;
import java.lang.reflect.Field;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops and restarts reading from an MQTT client's socket.
 *
 * <p>MQTT 3.1.1 has no way to tell a publisher "not now", so when the write queue is full the
 * gateway stops reading its socket and TCP flow control slows the client down. vertx-mqtt 5.0 does
 * not expose pause/resume on {@link MqttEndpoint}, so this reaches the endpoint's socket (a {@link
 * NetSocket}, public API) through its private {@code conn} field. If a future vertx-mqtt renames
 * the field, this degrades to not pausing, and the connection's own bound on parked messages
 * (receiveMaximum) still caps memory: see {@code MqttDeviceConnection}.
 */
final class SocketFlowControl {

  private static final Logger LOG = LoggerFactory.getLogger(SocketFlowControl.class);
  private static final Field SOCKET_FIELD = findSocketField();

  private SocketFlowControl() {}

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
          "Cannot reach MQTT sockets to pause them; slow MQTT 3.1.1 publishers are bounded only by receiveMaximum",
          e);
      return null;
    }
  }
}
