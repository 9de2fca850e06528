package io.aftercare.diagnostics.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;

/** Reads the {@code command} and {@code params} of a rule's remedy or a playbook's step. */
final class RemedyReader {

  private RemedyReader() {}

  /**
   * The remedy described by {@code item}, or {@code null} without a command; a command the platform
   * cannot send is reported on the {@code command} field.
   */
  static Remedy read(FieldReader item, PlaybookStep step, RemedyCheck check) {
    String command = item.text("command", true);
    JsonNode params = item.raw("params");
    Map<String, Object> paramMap = new HashMap<>();
    if (params != null && params.isObject()) {
      params.properties().forEach(e -> paramMap.put(e.getKey(), scalar(e.getValue())));
    } else if (params != null && !params.isNull()) {
      item.error("params", "must be a map");
    }
    if (command == null) {
      return null;
    }
    Remedy remedy = new Remedy(command, paramMap, step);
    check.problem(remedy).ifPresent(problem -> item.error("command", problem));
    return remedy;
  }

  private static Object scalar(JsonNode value) {
    if (value.isNumber()) {
      return value.numberValue();
    }
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    return value.asText();
  }
}
