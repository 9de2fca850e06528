package io.aftercare.platform.channel.mqtt;

import io.aftercare.platform.cluster.NodeIdentity;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client-id takeover across nodes. {@link ConnectionRegistry} closes a device's older connection on
 * this node; a device that reconnects to another node (its old TCP connection here still looks
 * open) is announced by that node on one address every node consumes, and the node holding an older
 * connection of the device closes it with "session taken over", as MQTT 5 prescribes.
 *
 * <p>"Older" compares the announcing node's accept time with this node's, so clocks matter only for
 * a device that connects to two nodes within less than their clock skew (milliseconds with NTP):
 * then the takeover is skipped and the stale connection ends at its keep-alive.
 */
final class ClusterTakeovers {

  /** Body: {@code {"device", "node", "connectedAt"}}. */
  static final String ADDRESS = "aftercare.mqtt.connected";

  private static final Logger LOG = LoggerFactory.getLogger(ClusterTakeovers.class);

  private final EventBus bus;
  private final NodeIdentity node;
  private final ConnectionRegistry connections;

  ClusterTakeovers(EventBus bus, NodeIdentity node, ConnectionRegistry connections) {
    this.bus = bus;
    this.node = node;
    this.connections = connections;
  }

  /** Completes once this node hears other nodes' announcements. */
  Future<Void> start() {
    MessageConsumer<JsonObject> consumer =
        bus.consumer(ADDRESS, message -> announced(message.body()));
    return consumer.completion();
  }

  /** Tells the other nodes that {@code deviceId} connected here at {@code connectedAt}. */
  void connected(String deviceId, Instant connectedAt) {
    bus.publish(
        ADDRESS,
        new JsonObject()
            .put("device", deviceId)
            .put("node", node.id())
            .put("connectedAt", connectedAt));
  }

  private void announced(JsonObject announcement) {
    String from = announcement.getString("node");
    if (node.id().equals(from)) {
      return;
    }
    String deviceId = announcement.getString("device");
    MqttDeviceConnection stale = connections.get(deviceId);
    if (stale == null
        || !stale.connectedBefore(announcement.getInstant("connectedAt"))
        || !connections.unregister(deviceId, stale)) {
      return;
    }
    LOG.debug("MQTT device {} connected to node {}: closing its session here", deviceId, from);
    stale.takeOver();
  }
}
