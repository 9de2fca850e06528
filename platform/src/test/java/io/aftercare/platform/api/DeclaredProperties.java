package io.aftercare.platform.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.platform.testing.ApiClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a JSON answer against a schema of the OpenAPI document: every property is declared, every
 * required one is present, and scalars have the declared type and enum value. Not a full JSON
 * Schema validator, just what catches a document drifting from the records it describes.
 */
final class DeclaredProperties {

  private final JsonNode document;

  DeclaredProperties(JsonNode document) {
    this.document = document;
  }

  /**
   * Asserts that the answer's status and content type are documented for the operation, and that
   * its body fits the documented schema.
   */
  void assertFits(ApiClient.Response response, String path, String method) {
    JsonNode documented =
        resolve(
            document
                .get("paths")
                .get(path)
                .get(method)
                .get("responses")
                .path(String.valueOf(response.status())));
    assertThat(documented.isMissingNode())
        .as("status %d of %s %s is documented", response.status(), method, path)
        .isFalse();
    String mediaType = response.contentType().split(";")[0].trim();
    JsonNode schema = documented.path("content").path(mediaType).get("schema");
    assertThat(schema).as("%s answer of %s %s is documented", mediaType, method, path).isNotNull();
    assertThat(problems(response.body(), schema))
        .as("%s %s answered %s", method, path, response.body())
        .isEmpty();
  }

  /** What does not fit, one line each with its JSON path; empty when the value fits. */
  List<String> problems(JsonNode value, JsonNode schema) {
    List<String> problems = new ArrayList<>();
    check(value, schema, "$", problems);
    return problems;
  }

  private void check(JsonNode value, JsonNode schema, String path, List<String> problems) {
    schema = resolve(schema);
    if (value.isNull()) {
      if (!schema.path("nullable").asBoolean()) {
        problems.add(path + ": null is not allowed");
      }
      return;
    }
    if (value.isObject()) {
      checkObject(value, schema, path, problems);
    } else if (value.isArray()) {
      // Without declared items (an untyped schema) each element is free-form.
      JsonNode items = schema.path("items");
      for (int i = 0; i < value.size(); i++) {
        check(value.get(i), items, path + "[" + i + "]", problems);
      }
    } else {
      checkScalar(value, schema, path, problems);
    }
  }

  private void checkObject(JsonNode value, JsonNode schema, String path, List<String> problems) {
    Map<String, JsonNode> declared = new LinkedHashMap<>();
    List<String> required = new ArrayList<>();
    JsonNode additional = collect(schema, declared, required);
    for (String name : required) {
      if (!value.has(name)) {
        problems.add(path + "." + name + ": required but absent");
      }
    }
    // A schema that names no properties is a free-form object (e.g. a command's params).
    if (declared.isEmpty() && additional == null) {
      return;
    }
    value
        .properties()
        .forEach(
            field -> {
              String at = path + "." + field.getKey();
              JsonNode property = declared.get(field.getKey());
              if (property != null) {
                check(field.getValue(), property, at, problems);
              } else if (additional != null && additional.isObject()) {
                check(field.getValue(), additional, at, problems);
              } else if (additional == null || !additional.asBoolean()) {
                problems.add(at + ": not declared in the schema");
              }
            });
  }

  private void checkScalar(JsonNode value, JsonNode schema, String path, List<String> problems) {
    JsonNode effective = schema.has("allOf") ? resolve(schema.get("allOf").get(0)) : schema;
    String type = effective.path("type").asText("");
    boolean fits =
        switch (type) {
          case "string" -> value.isTextual();
          case "integer" -> value.isIntegralNumber();
          case "number" -> value.isNumber();
          case "boolean" -> value.isBoolean();
          case "" -> true;
          default -> false;
        };
    if (!fits) {
      problems.add(path + ": " + value + " is not of type " + type);
    }
    JsonNode allowed = effective.get("enum");
    if (allowed != null) {
      boolean listed = false;
      for (JsonNode option : allowed) {
        listed |= option.asText().equals(value.asText());
      }
      if (!listed) {
        problems.add(path + ": " + value + " is not one of " + allowed);
      }
    }
  }

  /**
   * Gathers the properties and required names of {@code schema} and of its allOf parts; returns its
   * additionalProperties (or {@code null}).
   */
  private JsonNode collect(JsonNode schema, Map<String, JsonNode> declared, List<String> required) {
    schema = resolve(schema);
    schema.path("properties").properties().forEach(f -> declared.put(f.getKey(), f.getValue()));
    schema.path("required").forEach(name -> required.add(name.asText()));
    JsonNode additional = schema.get("additionalProperties");
    for (JsonNode part : schema.path("allOf")) {
      JsonNode partAdditional = collect(part, declared, required);
      additional = additional == null ? partAdditional : additional;
    }
    return additional;
  }

  /** Follows {@code $ref}s within the document. */
  JsonNode resolve(JsonNode schema) {
    while (schema.has("$ref")) {
      String ref = schema.get("$ref").asText();
      JsonNode target = document.at(ref.substring(1));
      if (target.isMissingNode()) {
        throw new IllegalArgumentException("unresolved $ref " + ref);
      }
      schema = target;
    }
    return schema;
  }
}
