package io.aftercare.platform.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/** One command of the catalog: its risk, timings and parameter schema. */
public record CommandSpec(
    String name, Risk risk, Duration ttl, Duration deliveryTimeout, Map<String, ParamSpec> params) {

  /** Why {@code params} do not fit this command's schema (naming the field at fault), or empty. */
  public Optional<String> checkParams(JsonNode params) {
    if (params == null || params.isNull() || params.isMissingNode()) {
      params = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    }
    if (!params.isObject()) {
      return Optional.of("'params' must be an object");
    }
    for (Iterator<String> names = params.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!this.params.containsKey(name)) {
        return Optional.of(
            "unknown parameter 'params."
                + name
                + "' for "
                + this.name
                + " (known: "
                + this.params.keySet()
                + ")");
      }
    }
    for (Map.Entry<String, ParamSpec> spec : this.params.entrySet()) {
      JsonNode value = params.get(spec.getKey());
      if (value == null || value.isNull()) {
        if (spec.getValue().required()) {
          return Optional.of("missing parameter 'params." + spec.getKey() + "'");
        }
        continue;
      }
      Optional<String> problem = spec.getValue().check("params." + spec.getKey(), value);
      if (problem.isPresent()) {
        return problem;
      }
    }
    return Optional.empty();
  }
}
