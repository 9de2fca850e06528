package io.aftercare.platform.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.platform.consent.CommandClass;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The class of each catalog command and of each {@code set_config} setting, read from the {@code
 * class} of {@code command-catalog.yaml}'s entries: the one place that says which commands need the
 * owner's consent. A command or setting without a valid class stops the platform at start.
 */
final class CommandClasses {

  /** The class of {@code set_config}: the class of the setting it changes. */
  private static final String BY_KEY = "by_key";

  private final Map<String, CommandClass> byCommand;
  private final Map<String, CommandClass> byConfigKey;

  private CommandClasses(
      Map<String, CommandClass> byCommand, Map<String, CommandClass> byConfigKey) {
    this.byCommand = byCommand;
    this.byConfigKey = byConfigKey;
  }

  static CommandClasses parse(JsonNode root) {
    Map<String, CommandClass> byCommand = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : root.path("commands").properties()) {
      String where = "commands." + entry.getKey() + ".class";
      String name = entry.getValue().path("class").asText();
      if (entry.getKey().equals(ConfigKeys.SET_CONFIG)) {
        if (!name.equals(BY_KEY)) {
          throw CommandCatalog.invalid(where, "must be " + BY_KEY);
        }
        continue;
      }
      byCommand.put(entry.getKey(), known(where, name));
    }
    Map<String, CommandClass> byConfigKey = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : root.path("configKeys").properties()) {
      byConfigKey.put(
          entry.getKey(),
          known(
              "configKeys." + entry.getKey() + ".class", entry.getValue().path("class").asText()));
    }
    return new CommandClasses(Map.copyOf(byCommand), Map.copyOf(byConfigKey));
  }

  private static CommandClass known(String where, String name) {
    return CommandClass.fromWire(name)
        .orElseThrow(
            () ->
                CommandCatalog.invalid(
                    where,
                    "must be one of "
                        + Arrays.stream(CommandClass.values())
                            .map(CommandClass::wireName)
                            .toList()));
  }

  /**
   * The class of command {@code name} with {@code params} (already checked against the catalog): a
   * {@code set_config}'s is its setting's.
   */
  CommandClass of(String name, JsonNode params) {
    if (name.equals(ConfigKeys.SET_CONFIG)) {
      CommandClass setting = byConfigKey.get(params.path("key").asText());
      if (setting == null) {
        throw new IllegalArgumentException("set_config without a known key reached its class");
      }
      return setting;
    }
    CommandClass found = byCommand.get(name);
    if (found == null) {
      throw new IllegalArgumentException("no class for command " + name);
    }
    return found;
  }

  /** The class of a command other than {@code set_config}; empty for {@code set_config}. */
  Optional<CommandClass> ofCommand(String name) {
    return Optional.ofNullable(byCommand.get(name));
  }

  /** The class of each {@code set_config} setting. */
  Map<String, CommandClass> ofConfigKeys() {
    return byConfigKey;
  }
}
