package io.aftercare.platform.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The settings {@code set_config} may change, per device type ({@code configKeys} and {@code
 * configKeysByDeviceType} in {@code command-catalog.yaml}): a device's broker URL or any other
 * setting not listed is refused, and each listed setting's value is checked against its schema.
 */
public final class ConfigKeys {

  /** The command whose {@code key} and {@code value} parameters this allow-list governs. */
  public static final String SET_CONFIG = "set_config";

  private static final String DEFAULT_TYPE = "default";
  private static final ObjectMapper NUMBERS = new ObjectMapper();

  private final Map<String, ParamSpec> keys;
  private final Map<String, List<String>> byDeviceType;

  private ConfigKeys(Map<String, ParamSpec> keys, Map<String, List<String>> byDeviceType) {
    this.keys = keys;
    this.byDeviceType = byDeviceType;
  }

  static ConfigKeys parse(JsonNode root) {
    Map<String, ParamSpec> keys = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : root.path("configKeys").properties()) {
      keys.put(
          entry.getKey(), CommandCatalog.param("configKeys." + entry.getKey(), entry.getValue()));
    }
    Map<String, List<String>> byDeviceType = new HashMap<>();
    for (Map.Entry<String, JsonNode> entry : root.path("configKeysByDeviceType").properties()) {
      List<String> names = new ArrayList<>();
      for (JsonNode name : entry.getValue()) {
        if (!keys.containsKey(name.asText())) {
          throw CommandCatalog.invalid(
              "configKeysByDeviceType." + entry.getKey(), "unknown config key " + name.asText());
        }
        names.add(name.asText());
      }
      byDeviceType.put(entry.getKey(), List.copyOf(names));
    }
    byDeviceType.putIfAbsent(DEFAULT_TYPE, List.of());
    return new ConfigKeys(Map.copyOf(keys), Map.copyOf(byDeviceType));
  }

  /** The keys devices of {@code deviceType} accept, in catalog order. */
  public List<String> allowed(String deviceType) {
    return byDeviceType.getOrDefault(deviceType, byDeviceType.get(DEFAULT_TYPE));
  }

  /** Whether the value of setting {@code key} is a secret, masked wherever staff read it. */
  boolean isSecret(String key) {
    ParamSpec spec = keys.get(key);
    return spec != null && spec.secret();
  }

  /**
   * Why a {@code set_config}'s {@code params} (already checked against the command's own schema) do
   * not fit the allow-list, or empty. {@code deviceType} null (a bulk batch, checked before its
   * devices are known): the key must be allowed for some device type; each device's own type is
   * checked when its command is submitted.
   */
  Optional<String> check(String deviceType, JsonNode params) {
    String key = params.path("key").asText();
    boolean allowed =
        deviceType == null
            ? byDeviceType.values().stream().anyMatch(names -> names.contains(key))
            : allowed(deviceType).contains(key);
    if (!allowed) {
      return Optional.of(
          "'params.key': unknown config key '"
              + key
              + "'"
              + (deviceType == null
                  ? ""
                  : " for a " + deviceType + " (allowed: " + allowed(deviceType) + ")"));
    }
    ParamSpec spec = keys.get(key);
    String field = "params.value";
    Optional<JsonNode> typed = typed(spec.type(), params.path("value").asText());
    if (typed.isEmpty()) {
      return Optional.of("'" + field + "' of " + key + " must be " + article(spec.type()));
    }
    return spec.check(field, typed.get()).map(problem -> problem + " (config key " + key + ")");
  }

  /** The string value as the JSON value its key's type expects, or empty if it is not one. */
  private static Optional<JsonNode> typed(String type, String text) {
    switch (type) {
      case "boolean" -> {
        return text.equals("true") || text.equals("false")
            ? Optional.of(BooleanNode.valueOf(Boolean.parseBoolean(text)))
            : Optional.empty();
      }
      case "integer", "number" -> {
        try {
          JsonNode number = NUMBERS.readTree(text);
          return number != null && number.isNumber() ? Optional.of(number) : Optional.empty();
        } catch (JsonProcessingException e) {
          return Optional.empty();
        }
      }
      default -> {
        return Optional.of(TextNode.valueOf(text));
      }
    }
  }

  private static String article(String type) {
    return switch (type) {
      case "integer" -> "an integer";
      case "number" -> "a number";
      case "boolean" -> "true or false";
      default -> "a string";
    };
  }
}
