package io.aftercare.diagnostics.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.diagnostics.condition.Condition;
import io.aftercare.diagnostics.condition.ConditionCompiler;
import io.aftercare.diagnostics.condition.ConditionScope;
import io.aftercare.diagnostics.condition.InvalidConditionException;
import io.aftercare.domain.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads typed fields from one YAML object of a rule file, recording every problem as "file: rule
 * 'x': field 'y': message" instead of stopping at the first, so an operator sees all mistakes at
 * once. Getters return {@code null} (or the default) for a missing or invalid field.
 */
final class FieldReader {
  private final JsonNode node;
  private final String location;
  private final String fieldPrefix;
  private final List<String> errors;
  private final ConditionCompiler compiler;

  FieldReader(
      JsonNode node,
      String location,
      String fieldPrefix,
      List<String> errors,
      ConditionCompiler compiler) {
    this.node = node;
    this.location = location;
    this.fieldPrefix = fieldPrefix;
    this.errors = errors;
    this.compiler = compiler;
  }

  /** A reader for a nested object, e.g. {@code levels[1]}, reporting fields as "levels[1].when". */
  FieldReader nested(JsonNode child, String path) {
    return new FieldReader(child, location, fieldPrefix + path + ".", errors, compiler);
  }

  boolean has(String field) {
    return node.hasNonNull(field);
  }

  JsonNode raw(String field) {
    return node.get(field);
  }

  void error(String field, String message) {
    errors.add(location + ": field '" + fieldPrefix + field + "': " + message);
  }

  String text(String field, boolean required) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        error(field, "is required");
      }
      return null;
    }
    if (!value.isValueNode() || value.isBoolean()) {
      error(field, "must be a string");
      return null;
    }
    return value.asText();
  }

  boolean bool(String field, boolean defaultValue) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return defaultValue;
    }
    if (!value.isBoolean()) {
      error(field, "must be true or false");
      return defaultValue;
    }
    return value.booleanValue();
  }

  int integer(String field, int defaultValue, int min, int max) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return defaultValue;
    }
    if (!value.isIntegralNumber() || value.asLong() < min || value.asLong() > max) {
      error(field, "must be a whole number from " + min + " to " + max);
      return defaultValue;
    }
    return value.intValue();
  }

  double number(String field, double defaultValue) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return defaultValue;
    }
    if (!value.isNumber() || !Double.isFinite(value.doubleValue()) || value.doubleValue() < 0) {
      error(field, "must be a non-negative number");
      return defaultValue;
    }
    return value.doubleValue();
  }

  /** Any finite number, negative ones included; {@code null} when missing or invalid. */
  Double finiteNumber(String field, boolean required) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        error(field, "is required");
      }
      return null;
    }
    if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
      error(field, "must be a number");
      return null;
    }
    return value.doubleValue();
  }

  Duration duration(String field, boolean required) {
    String text = text(field, required);
    if (text == null) {
      return null;
    }
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      error(field, e.getMessage());
      return null;
    }
  }

  Condition condition(String field, ConditionScope scope, boolean required) {
    String source = text(field, required);
    if (source == null) {
      return null;
    }
    try {
      return compiler.compile(source, scope);
    } catch (InvalidConditionException e) {
      error(field, "invalid CEL '" + source + "': " + e.getMessage());
      return null;
    }
  }

  <E extends Enum<E>> E enumValue(String field, Class<E> type, E defaultValue) {
    String text = text(field, defaultValue == null);
    if (text == null) {
      return defaultValue;
    }
    try {
      return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      List<String> allowed = new ArrayList<>();
      for (E constant : type.getEnumConstants()) {
        allowed.add(constant.name().toLowerCase(Locale.ROOT));
      }
      error(field, "'" + text + "' is not one of " + allowed);
      return defaultValue;
    }
  }

  List<String> textList(String field) {
    JsonNode value = node.get(field);
    List<String> result = new ArrayList<>();
    if (value == null || value.isNull()) {
      return result;
    }
    if (!value.isArray()) {
      error(field, "must be a list");
      return result;
    }
    value.forEach(item -> result.add(item.asText()));
    return result;
  }

  /** Reports every field of this object that is not in {@code allowed}: usually a typo. */
  void rejectUnknownFields(Set<String> allowed, String why) {
    node.fieldNames()
        .forEachRemaining(
            name -> {
              if (!allowed.contains(name)) {
                error(name, why);
              }
            });
  }
}
