package io.aftercare.platform.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The operations of the OpenAPI document, with their parameters and body schema resolved. */
final class OpenApiOperations {

  /** The methods a client can send that the document may or may not declare for a path. */
  static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");

  /** A path or query parameter and its schema. */
  record Parameter(String name, JsonNode schema) {}

  /** One operation: {@code body} is the request body's schema, or null when it takes none. */
  record Operation(
      String method,
      String path,
      List<Parameter> pathParameters,
      List<Parameter> queryParameters,
      JsonNode body) {

    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  private final JsonNode document;

  OpenApiOperations(JsonNode document) {
    this.document = document;
  }

  List<Operation> all() {
    List<Operation> operations = new ArrayList<>();
    document
        .get("paths")
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .properties()
                    .forEach(
                        operation -> {
                          String method = operation.getKey().toUpperCase(Locale.ROOT);
                          if (METHODS.contains(method)) {
                            operations.add(
                                operation(
                                    method, path.getKey(), path.getValue(), operation.getValue()));
                          }
                        }));
    return operations;
  }

  /**
   * The methods the document declares for a concrete {@code uri}, over every path that matches it:
   * {@code /alarms/acknowledgements} is also {@code /alarms/{alarmId}}.
   */
  Set<String> methods(String uri) {
    Set<String> methods = new TreeSet<>();
    document
        .get("paths")
        .properties()
        .forEach(
            path -> {
              String pattern =
                  Arrays.stream(path.getKey().split("/", -1))
                      .map(s -> s.startsWith("{") ? "[^/]+" : Pattern.quote(s))
                      .collect(Collectors.joining("/"));
              if (uri.matches(pattern)) {
                path.getValue()
                    .fieldNames()
                    .forEachRemaining(
                        name -> {
                          if (METHODS.contains(name.toUpperCase(Locale.ROOT))) {
                            methods.add(name.toUpperCase(Locale.ROOT));
                          }
                        });
              }
            });
    return methods;
  }

  /** Follows a {@code $ref} (only local ones occur in the document). */
  JsonNode resolve(JsonNode node) {
    JsonNode resolved = node;
    while (resolved.has("$ref")) {
      resolved = document.at(resolved.get("$ref").asText().substring(1));
    }
    return resolved;
  }

  private Operation operation(String method, String path, JsonNode item, JsonNode operation) {
    List<Parameter> inPath = new ArrayList<>();
    List<Parameter> inQuery = new ArrayList<>();
    for (JsonNode parameters : List.of(item.path("parameters"), operation.path("parameters"))) {
      for (JsonNode declared : parameters) {
        JsonNode parameter = resolve(declared);
        Parameter read =
            new Parameter(parameter.get("name").asText(), resolve(parameter.path("schema")));
        switch (parameter.get("in").asText()) {
          case "path" -> inPath.add(read);
          case "query" -> inQuery.add(read);
          default -> {
            // Headers and cookies are the transport's business: not fuzzed here.
          }
        }
      }
    }
    JsonNode schema =
        operation.path("requestBody").path("content").path("application/json").path("schema");
    return new Operation(
        method, path, inPath, inQuery, schema instanceof MissingNode ? null : resolve(schema));
  }
}
