package io.aftercare.platform.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The schema of one command parameter, as written in {@code command-catalog.yaml}.
 *
 * @param type string, integer, number or boolean
 * @param secret the value (a Wi-Fi passphrase, a PIN) is shown to staff as {@code "***"}: in
 *     command reads and in the audit log; only the device receives it
 */
public record ParamSpec(
    String type,
    boolean required,
    Double min,
    Double max,
    List<String> enumeration,
    Pattern pattern,
    Integer maxLength,
    boolean secret) {

  /** Why {@code value} does not fit, or empty if it does. */
  Optional<String> check(String name, JsonNode value) {
    switch (type) {
      case "string" -> {
        if (!value.isTextual()) {
          return Optional.of("'" + name + "' must be a string");
        }
        String text = value.textValue();
        if (enumeration != null && !enumeration.contains(text)) {
          return Optional.of("'" + name + "' must be one of " + enumeration);
        }
        if (pattern != null && !pattern.matcher(text).matches()) {
          return Optional.of("'" + name + "' must match " + pattern.pattern());
        }
        if (maxLength != null && text.length() > maxLength) {
          return Optional.of("'" + name + "' must be at most " + maxLength + " characters");
        }
        return Optional.empty();
      }
      case "integer", "number" -> {
        boolean fits = type.equals("integer") ? value.isIntegralNumber() : value.isNumber();
        if (!fits) {
          return Optional.of(
              "'" + name + "' must be " + (type.equals("integer") ? "an integer" : "a number"));
        }
        double number = value.doubleValue();
        if ((min != null && number < min) || (max != null && number > max)) {
          return Optional.of(
              "'" + name + "' must be between " + format(min) + " and " + format(max));
        }
        return Optional.empty();
      }
      case "boolean" -> {
        return value.isBoolean()
            ? Optional.empty()
            : Optional.of("'" + name + "' must be true or false");
      }
      default -> throw new IllegalStateException("unchecked parameter type " + type);
    }
  }

  private static String format(Double bound) {
    if (bound == null) {
      return "any";
    }
    return bound == Math.rint(bound) ? String.valueOf(bound.longValue()) : String.valueOf(bound);
  }
}
