package io.aftercare.platform.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.aftercare.domain.Durations;
import io.aftercare.platform.consent.CommandClass;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The remote-assist commands each device type supports, read from {@code command-catalog.yaml}
 * (documented there). A broken catalog stops the platform at start with the entry at fault.
 */
public final class CommandCatalog {

  private static final Set<String> PARAM_TYPES = Set.of("string", "integer", "number", "boolean");
  private static final String DEFAULT_TYPE = "default";

  /** What staff read instead of a secret parameter's value. */
  public static final String MASK = "***";

  private final Map<String, CommandSpec> commands;
  private final Map<String, List<String>> byDeviceType;
  private final ConfigKeys configKeys;
  private final CommandClasses classes;
  private final Duration maxTtl;

  private CommandCatalog(
      Map<String, CommandSpec> commands,
      Map<String, List<String>> byDeviceType,
      ConfigKeys configKeys,
      CommandClasses classes,
      Duration maxTtl) {
    this.commands = commands;
    this.byDeviceType = byDeviceType;
    this.configKeys = configKeys;
    this.classes = classes;
    this.maxTtl = maxTtl;
  }

  /** The catalog shipped in the jar. */
  public static CommandCatalog builtIn() {
    try (InputStream in = CommandCatalog.class.getResourceAsStream("/command-catalog.yaml")) {
      return parse(new ObjectMapper(new YAMLFactory()).readTree(Objects.requireNonNull(in)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static CommandCatalog parse(JsonNode root) {
    Map<String, CommandSpec> commands = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : root.path("commands").properties()) {
      commands.put(entry.getKey(), command(entry.getKey(), entry.getValue()));
    }
    Map<String, List<String>> byDeviceType = new HashMap<>();
    for (Map.Entry<String, JsonNode> entry : root.path("deviceTypes").properties()) {
      List<String> names = new ArrayList<>();
      for (JsonNode name : entry.getValue()) {
        if (!commands.containsKey(name.asText())) {
          throw invalid("deviceTypes." + entry.getKey(), "unknown command " + name.asText());
        }
        names.add(name.asText());
      }
      byDeviceType.put(entry.getKey(), List.copyOf(names));
    }
    if (!byDeviceType.containsKey(DEFAULT_TYPE)) {
      throw invalid("deviceTypes", "a 'default' list is required");
    }
    return new CommandCatalog(
        Map.copyOf(commands),
        Map.copyOf(byDeviceType),
        ConfigKeys.parse(root),
        CommandClasses.parse(root),
        Durations.parse(root.path("maxTtl").asText("7d")));
  }

  private static CommandSpec command(String name, JsonNode node) {
    Risk risk;
    try {
      risk = Risk.valueOf(node.path("risk").asText().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw invalid("commands." + name + ".risk", "must be low, medium or high");
    }
    Map<String, ParamSpec> params = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> param : node.path("params").properties()) {
      params.put(
          param.getKey(),
          param("commands." + name + ".params." + param.getKey(), param.getValue()));
    }
    return new CommandSpec(
        name,
        risk,
        Durations.parse(node.path("ttl").asText("1h")),
        Durations.parse(node.path("deliveryTimeout").asText("2m")),
        Map.copyOf(params));
  }

  static ParamSpec param(String where, JsonNode node) {
    String type = node.path("type").asText();
    if (!PARAM_TYPES.contains(type)) {
      throw invalid(where + ".type", "must be one of " + PARAM_TYPES);
    }
    List<String> enumeration = null;
    if (node.has("enum")) {
      enumeration = new ArrayList<>();
      for (JsonNode value : node.get("enum")) {
        enumeration.add(value.asText());
      }
    }
    return new ParamSpec(
        type,
        node.path("required").asBoolean(false),
        node.has("min") ? node.get("min").asDouble() : null,
        node.has("max") ? node.get("max").asDouble() : null,
        enumeration == null ? null : List.copyOf(enumeration),
        node.has("pattern") ? Pattern.compile(node.get("pattern").asText()) : null,
        node.has("maxLength") ? node.get("maxLength").asInt() : null,
        node.path("secret").asBoolean(false));
  }

  static IllegalStateException invalid(String where, String problem) {
    return new IllegalStateException("command-catalog.yaml: " + where + ": " + problem);
  }

  /** The command {@code name} if devices of {@code deviceType} support it. */
  public Optional<CommandSpec> find(String deviceType, String name) {
    List<String> supported = byDeviceType.getOrDefault(deviceType, byDeviceType.get(DEFAULT_TYPE));
    return supported.contains(name) ? Optional.of(commands.get(name)) : Optional.empty();
  }

  /** The command named {@code name}, whichever device types support it. */
  public Optional<CommandSpec> spec(String name) {
    return Optional.ofNullable(commands.get(name));
  }

  public List<String> supported(String deviceType) {
    return byDeviceType.getOrDefault(deviceType, byDeviceType.get(DEFAULT_TYPE));
  }

  /** The settings {@code set_config} may change on devices of {@code deviceType}. */
  public List<String> configKeys(String deviceType) {
    return configKeys.allowed(deviceType);
  }

  /**
   * Why {@code params} of command {@code spec} do not fit the catalog (naming the field at fault),
   * or empty: the command's schema, and for {@code set_config} the device type's allowed keys
   * ({@code deviceType} null: a bulk batch, any device type's keys).
   */
  public Optional<String> checkParams(CommandSpec spec, String deviceType, JsonNode params) {
    Optional<String> problem = spec.checkParams(params);
    if (problem.isPresent() || !spec.name().equals(ConfigKeys.SET_CONFIG)) {
      return problem;
    }
    return configKeys.check(deviceType, params);
  }

  /**
   * {@code params} of command {@code name} as staff read them: secret values (parameters marked
   * {@code secret}, and a {@code set_config} value whose key is) replaced by {@code "***"}.
   */
  public JsonNode masked(String name, JsonNode params) {
    CommandSpec spec = commands.get(name);
    if (spec == null || !params.isObject()) {
      return params;
    }
    ObjectNode copy = params.deepCopy();
    spec.params()
        .forEach(
            (param, schema) -> {
              if (schema.secret() && copy.has(param)) {
                copy.put(param, MASK);
              }
            });
    if (name.equals(ConfigKeys.SET_CONFIG)
        && configKeys.isSecret(copy.path("key").asText())
        && copy.has("value")) {
      copy.put("value", MASK);
    }
    return copy;
  }

  /**
   * What command {@code name} with {@code params} (already checked) does in the owner's home: the
   * catalog's {@code class}, for {@code set_config} its setting's.
   */
  public CommandClass commandClass(String name, JsonNode params) {
    return classes.of(name, params);
  }

  /** The class of a command other than {@code set_config} (whose class is its setting's). */
  public Optional<CommandClass> commandClass(String name) {
    return classes.ofCommand(name);
  }

  /** The class of each {@code set_config} setting. */
  public Map<String, CommandClass> configKeyClasses() {
    return classes.ofConfigKeys();
  }

  public Duration maxTtl() {
    return maxTtl;
  }
}
