package io.aftercare.platform.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Refuses what the OpenAPI document rules out before a handler sees it: a method the path does not
 * have (405 with {@code Allow}) and a query parameter the operation does not declare (400 naming
 * it), so a misspelt filter is never silently ignored. The document is the one list of what each
 * route accepts; {@code OpenApiDocumentTest} keeps it in step with the mounted routes.
 */
final class DocumentedRoutes {

  private static final Set<String> METHODS =
      Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

  /**
   * One documented path: its pattern, its segments as written ({@code {id}} for a variable) and,
   * per method, the query parameters it declares.
   */
  private record Template(
      Pattern pattern, List<String> segments, int variables, Map<String, Set<String>> operations) {}

  private final List<Template> templates = new ArrayList<>();

  DocumentedRoutes(JsonNode document) {
    document
        .get("paths")
        .properties()
        .forEach(path -> templates.add(template(document, path.getKey(), path.getValue())));
    // A literal segment wins over a variable one: /tickets/export before /tickets/{id}.
    templates.sort(Comparator.comparingInt(Template::variables));
  }

  private static Template template(JsonNode document, String path, JsonNode item) {
    Map<String, Set<String>> operations = new TreeMap<>();
    Set<String> shared = queryParameters(document, item.path("parameters"));
    item.properties()
        .forEach(
            operation -> {
              if (METHODS.contains(operation.getKey())) {
                Set<String> names = new TreeSet<>(shared);
                names.addAll(queryParameters(document, operation.getValue().path("parameters")));
                operations.put(operation.getKey().toUpperCase(Locale.ROOT), names);
              }
            });
    StringBuilder regex = new StringBuilder();
    int variables = 0;
    List<String> segments = List.of(path.substring(1).split("/", -1));
    for (String segment : segments) {
      regex.append('/');
      if (segment.startsWith("{") && segment.endsWith("}")) {
        regex.append("[^/]+");
        variables++;
      } else {
        regex.append(Pattern.quote(segment));
      }
    }
    return new Template(Pattern.compile(regex.toString()), segments, variables, operations);
  }

  private static Set<String> queryParameters(JsonNode document, JsonNode parameters) {
    Set<String> names = new TreeSet<>();
    for (JsonNode parameter : parameters) {
      JsonNode resolved =
          parameter.has("$ref")
              ? document.at(parameter.get("$ref").asText().substring(1))
              : parameter;
      if ("query".equals(resolved.path("in").asText())) {
        names.add(resolved.get("name").asText());
      }
    }
    return names;
  }

  /**
   * The query parameters {@code method} declares on the documented {@code path} (e.g. {@code
   * /api/v1/devices}); empty when it has no such operation.
   */
  Set<String> queryParameters(String path, String method) {
    for (Template template : templates) {
      if (template.pattern().matcher(path).matches()) {
        Set<String> declared = template.operations().get(method);
        if (declared != null) {
          return declared;
        }
      }
    }
    return Set.of();
  }

  /** The handler: mounted ahead of every documented route. */
  void check(RoutingContext ctx) {
    String path = ctx.request().path();
    String method = ctx.request().method().name();
    Set<String> allowed = new TreeSet<>();
    String nulIn = nulInQuery(ctx);
    for (Template template : templates) {
      if (!template.pattern().matcher(path).matches()) {
        continue;
      }
      if (nulIn == null) {
        nulIn = nulInPath(template, path);
      }
      Set<String> parameters = template.operations().get(method);
      if (parameters != null) {
        if (nulIn != null) {
          ctx.fail(NulCharacters.refused(nulIn));
          return;
        }
        refuseUnknownParameters(ctx, parameters);
        return;
      }
      allowed.addAll(template.operations().keySet());
    }
    if (allowed.isEmpty()) {
      ctx.next();
      return;
    }
    ctx.response().putHeader("allow", String.join(", ", allowed));
    Problems.send(
        ctx, 405, "Method Not Allowed", method + " is not allowed here; allowed: " + allowed);
  }

  /** What holds a NUL among the query's names and values (e.g. {@code query parameter 'to'}). */
  private static String nulInQuery(RoutingContext ctx) {
    for (Map.Entry<String, String> parameter : ctx.queryParams()) {
      if (NulCharacters.in(parameter.getKey())) {
        return "a query parameter's name";
      }
      if (NulCharacters.in(parameter.getValue())) {
        return "query parameter '" + parameter.getKey() + "'";
      }
    }
    return null;
  }

  /**
   * What holds a NUL ({@code %00}, the only way one reaches a request line) among the segments of
   * {@code path}, which {@code template} matches: the variable's name, or the path itself.
   */
  private static String nulInPath(Template template, String path) {
    String[] given = path.substring(1).split("/", -1);
    for (int i = 0; i < given.length; i++) {
      if (given[i].toLowerCase(Locale.ROOT).contains("%00")) {
        String segment = template.segments().get(i);
        return segment.startsWith("{")
            ? "path parameter '" + segment.substring(1, segment.length() - 1) + "'"
            : "the path";
      }
    }
    return null;
  }

  private static void refuseUnknownParameters(RoutingContext ctx, Set<String> declared) {
    Set<String> unknown = new TreeSet<>(ctx.queryParams().names());
    unknown.removeAll(declared);
    if (unknown.isEmpty()) {
      ctx.next();
      return;
    }
    Problems.send(
        ctx,
        400,
        "Bad Request",
        "unknown query parameter"
            + (unknown.size() == 1 ? " " : "s ")
            + String.join(", ", unknown.stream().map(name -> "'" + name + "'").toList())
            + "; this operation accepts: "
            + (declared.isEmpty() ? "none" : String.join(", ", declared)));
  }
}
