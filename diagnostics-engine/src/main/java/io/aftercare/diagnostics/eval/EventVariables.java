package io.aftercare.diagnostics.eval;

import dev.cel.runtime.CelVariableResolver;
import io.aftercare.domain.DeviceEvent;
import java.util.Map;
import java.util.Optional;

/** The CEL variables of an event filter: {@code event} (type, code, message), metrics, device. */
public final class EventVariables implements CelVariableResolver {
  private final Map<String, String> event;
  private final Map<String, Double> metrics;
  private final Map<String, String> device;

  public EventVariables(
      DeviceEvent event, Map<String, Double> metrics, Map<String, String> device) {
    this.event =
        Map.of(
            "type", nullToEmpty(event.type()),
            "code", nullToEmpty(event.code()),
            "message", nullToEmpty(event.message()));
    this.metrics = metrics;
    this.device = device;
  }

  private static String nullToEmpty(String text) {
    return text == null ? "" : text;
  }

  @Override
  public Optional<Object> find(String name) {
    return switch (name) {
      case "event" -> Optional.of(event);
      case "metrics" -> Optional.of(metrics);
      case "device" -> Optional.of(device);
      default -> Optional.empty();
    };
  }
}
