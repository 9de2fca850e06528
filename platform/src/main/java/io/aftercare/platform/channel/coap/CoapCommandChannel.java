package io.aftercare.platform.channel.coap;

import io.aftercare.platform.command.CommandChannel;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.observe.ObserveRelation;
import org.eclipse.californium.core.server.resources.ResourceObserverAdapter;

/**
 * The way to reach a CoAP device that is observing {@code GET /devices/{id}/commands}.
 *
 * <p>Devices on CoAP cannot be called; they observe their commands resource and the platform
 * notifies them. This class keeps which devices have an established observe relation, and {@link
 * #notify} makes Californium send those devices a fresh notification, which is a new GET answered
 * by {@link CommandsResource} with the device's pending commands. The command service wakes it
 * after queueing a command.
 */
public final class CoapCommandChannel implements CommandChannel {

  private final Map<String, Set<ObserveRelation>> relations = new ConcurrentHashMap<>();
  private CoapResource resource;

  void attach(CoapResource commands) {
    this.resource = commands;
    commands.addObserver(
        new ResourceObserverAdapter() {
          @Override
          public void addedObserveRelation(ObserveRelation relation) {
            added(relation);
          }

          @Override
          public void removedObserveRelation(ObserveRelation relation) {
            removed(relation);
          }
        });
  }

  @Override
  public void wake(String deviceId) {
    notify(deviceId);
  }

  /**
   * Sends the device a notification if it is observing its commands.
   *
   * @return whether the device has an observe relation to notify; if not, a command waits for the
   *     device's next GET
   */
  public boolean notify(String deviceId) {
    Set<ObserveRelation> observing = relations.get(deviceId);
    if (observing == null || observing.isEmpty()) {
      return false;
    }
    resource.changed(observing::contains);
    return true;
  }

  /** Whether the device has an established observe relation on its commands. */
  public boolean isObserved(String deviceId) {
    Set<ObserveRelation> observing = relations.get(deviceId);
    return observing != null && !observing.isEmpty();
  }

  private void added(ObserveRelation relation) {
    relations
        .computeIfAbsent(deviceIdOf(relation), id -> ConcurrentHashMap.newKeySet())
        .add(relation);
  }

  private void removed(ObserveRelation relation) {
    relations.computeIfPresent(
        deviceIdOf(relation),
        (id, observing) -> {
          observing.remove(relation);
          return observing.isEmpty() ? null : observing;
        });
  }

  /** The relation's request path is {@code devices/{id}/commands}. */
  private static String deviceIdOf(ObserveRelation relation) {
    return relation.getExchange().getRequest().getOptions().getUriPath().get(1);
  }
}
