package io.aftercare.platform.cluster;

import io.aftercare.platform.command.CommandService;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;

/**
 * Brings "commands are queued for device X" to every node, so that a command submitted through any
 * node's API reaches the device on whichever node holds its MQTT connection or CoAP observe
 * relation. The wake-up is published on one address that every node consumes; each node hands it to
 * its own channels, and a node that does not hold the device ignores it. A device that is connected
 * nowhere finds its commands in the database when it next subscribes or observes.
 *
 * <p>One broadcast address rather than an address per connected device: connecting and
 * disconnecting then cost nothing in the cluster (a per-device address is a Hazelcast write for
 * every connection, and a reconnect storm after a node dies would be as many writes), a dead node
 * leaves no stale routes behind, and a command costs one small message per node, which is cheap at
 * the rate commands are sent. With {@code cluster.mode} off the event bus is local and the one
 * consumer is this node's.
 */
public final class CommandWakeUps {

  /** Body: the device id. */
  static final String ADDRESS = "aftercare.commands.queued";

  private CommandWakeUps() {}

  /**
   * Routes {@code commands}' wake-ups over {@code bus}; completes once this node's consumer is
   * registered (in the cluster too), before the node takes traffic.
   */
  public static Future<Void> route(EventBus bus, CommandService commands) {
    MessageConsumer<String> consumer =
        bus.consumer(ADDRESS, message -> commands.wakeHere(message.body()));
    commands.routeWakeUps(deviceId -> bus.publish(ADDRESS, deviceId));
    return consumer.completion();
  }
}
