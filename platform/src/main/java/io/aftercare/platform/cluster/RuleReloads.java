package io.aftercare.platform.cluster;

import io.aftercare.platform.alarms.DiagnosticsService;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A rules reload ({@code POST /api/v1/rules/reload}) on one node reloads every node: once the new
 * rules are in force where staff asked, that node publishes its id on one address every node
 * consumes, and each other node re-reads its own rule folder. Refused edits go nowhere: they leave
 * the rules in force on the node that refused them, and the request answers 422.
 */
public final class RuleReloads {

  /** Body: the id of the node where staff reloaded the rules. */
  static final String ADDRESS = "aftercare.rules.reloaded";

  private static final Logger LOG = LoggerFactory.getLogger(RuleReloads.class);

  private RuleReloads() {}

  /** Completes once this node hears the other nodes' reloads. */
  public static Future<Void> share(
      EventBus bus, NodeIdentity node, DiagnosticsService diagnostics) {
    MessageConsumer<String> consumer =
        bus.consumer(
            ADDRESS,
            message -> {
              String origin = message.body();
              if (!node.id().equals(origin)) {
                diagnostics
                    .reloadAsOn(origin)
                    .onFailure(e -> LOG.warn("Could not reload the rules as on {}", origin, e));
              }
            });
    diagnostics.onReloaded(() -> bus.publish(ADDRESS, node.id()));
    return consumer.completion();
  }
}
