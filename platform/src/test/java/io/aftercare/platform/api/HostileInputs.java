package io.aftercare.platform.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Seeded generator of request parts for the API fuzz: values that fit the OpenAPI schema and values
 * a buggy client, a scanner or an attacker sends instead (wrong types, overflowing numbers and
 * times, NUL, huge and deep documents). The same seed gives the same inputs.
 */
final class HostileInputs {

  /** Texts that broke, or could break, a parser, a time computation or the database. */
  static final List<String> HOSTILE =
      List.of(
          "",
          " ",
          "0",
          "-1",
          "2147483648",
          "99999999999999999999",
          "9223372036854775807",
          "-9223372036854775808",
          "1e309",
          "NaN",
          "abc",
          "null",
          "a\u0000b",
          "\u0000",
          "+999999999-12-31T23:59:59Z",
          "-999999999-01-01T00:00:00Z",
          "0000-01-01T00:00:00Z",
          "2026-02-30T00:00:00Z",
          "+999999999-12-31",
          "P999999999D",
          "999999999d",
          "PT-5S",
          "0",
          "'; DROP TABLE devices; --",
          "../../etc/passwd",
          "%",
          "%00",
          "<script>alert(1)</script>",
          "\uD800",
          "é✓😀",
          "[]",
          "{}",
          "a,b,,c");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final Random random;
  private final List<String> knownIds;

  /**
   * @param knownIds ids of resources that exist, so that some requests get past the lookup
   */
  HostileInputs(long seed, List<String> knownIds) {
    this.random = new Random(seed);
    this.knownIds = knownIds;
  }

  /** A path parameter's value: an existing id, one of the schema's type, or a hostile text. */
  String pathValue(JsonNode schema) {
    return switch (random.nextInt(4)) {
      case 0 -> knownIds.get(random.nextInt(knownIds.size()));
      case 1 -> fitting(schema);
      default -> hostileText();
    };
  }

  /** A query parameter's value: one of the schema's type (sometimes out of range) or hostile. */
  String queryValue(JsonNode schema) {
    return random.nextBoolean() ? fitting(schema) : hostileText();
  }

  /**
   * A page token shaped like the API's own (base64url of {@code [sort, key, id]}) whose key and id
   * are anything: only the token's shape is opaque to clients, not its content to an attacker.
   */
  String cursor() {
    ArrayNode parts = NODES.arrayNode();
    parts.add(pick(List.of("newest", "sla", "id", "type", "model", "firmware")));
    parts.add(random.nextBoolean() ? instant().toString() : hostileText());
    parts.add(random.nextBoolean() ? Long.toString(random.nextLong()) : hostileText());
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(write(parts).getBytes(StandardCharsets.UTF_8));
  }

  boolean chance(int percent) {
    return random.nextInt(100) < percent;
  }

  <T> T pick(List<T> choices) {
    return choices.get(random.nextInt(choices.size()));
  }

  /** A request body for an operation whose body has {@code schema}. */
  String body(JsonNode schema, Function<JsonNode, JsonNode> resolve) {
    return switch (random.nextInt(16)) {
      case 0 -> "null";
      case 1 -> "[]";
      case 2 -> "\"text\"";
      case 3 -> "42";
      case 4 -> "{}";
      case 5 -> "{\"unterminated\": ";
      case 6 -> deep(random.nextInt(5_000) + 1);
      case 7 -> "{\"huge\": \"" + "x".repeat(random.nextInt(80_000)) + "\"}";
      case 8 -> write(randomJson(4));
      default -> write(shaped(schema, resolve, 0));
    };
  }

  /** Nested arrays or objects, {@code depth} deep. */
  private String deep(int depth) {
    return random.nextBoolean()
        ? "[".repeat(depth) + "]".repeat(depth)
        : "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
  }

  /**
   * An object with the schema's properties, each left out, fitting, or a random JSON value, and now
   * and then a property the schema does not know.
   */
  private JsonNode shaped(JsonNode schema, Function<JsonNode, JsonNode> resolve, int depth) {
    JsonNode resolved = merged(resolve.apply(schema), resolve);
    if (depth > 3 || !resolved.has("properties")) {
      return fittingJson(resolved, resolve, depth);
    }
    ObjectNode object = NODES.objectNode();
    resolved
        .get("properties")
        .properties()
        .forEach(
            property -> {
              if (chance(85)) {
                object.set(
                    property.getKey(),
                    chance(70)
                        ? fittingJson(property.getValue(), resolve, depth + 1)
                        : randomJson(2));
              }
            });
    if (chance(5)) {
      object.put("unexpected", hostileText());
    }
    return object;
  }

  /** {@code allOf} merged into one schema, one of {@code oneOf}/{@code anyOf} picked. */
  private JsonNode merged(JsonNode schema, Function<JsonNode, JsonNode> resolve) {
    for (String choice : List.of("oneOf", "anyOf")) {
      if (schema.has(choice)) {
        return merged(resolve.apply(pick(list(schema.get(choice)))), resolve);
      }
    }
    if (!schema.has("allOf")) {
      return schema;
    }
    ObjectNode merged = NODES.objectNode();
    ObjectNode properties = merged.putObject("properties");
    for (JsonNode part : schema.get("allOf")) {
      JsonNode resolved = merged(resolve.apply(part), resolve);
      if (resolved.has("properties")) {
        properties.setAll((ObjectNode) resolved.get("properties"));
      }
    }
    return merged;
  }

  private JsonNode fittingJson(JsonNode schema, Function<JsonNode, JsonNode> resolve, int depth) {
    JsonNode resolved = merged(resolve.apply(schema), resolve);
    if (resolved.has("enum")) {
      return pick(list(resolved.get("enum")));
    }
    String type = type(resolved);
    return switch (type) {
      case "object" ->
          resolved.has("properties") && depth <= 3
              ? shaped(resolved, resolve, depth + 1)
              : randomJson(1);
      case "array" -> {
        ArrayNode array = NODES.arrayNode();
        int size = random.nextInt(4);
        for (int i = 0; i < size; i++) {
          array.add(fittingJson(resolved.path("items"), resolve, depth + 1));
        }
        yield array;
      }
      case "integer" -> NODES.numberNode(chance(25) ? knownNumber() : integer(resolved));
      case "number" -> NODES.numberNode(random.nextDouble() * 1000);
      case "boolean" -> NODES.booleanNode(random.nextBoolean());
      default -> NODES.textNode(chance(15) ? pick(knownIds) : fitting(resolved));
    };
  }

  /** One of the known ids that is a number (a ticket's), so a body can name a real resource. */
  private long knownNumber() {
    List<Long> numbers =
        knownIds.stream().filter(id -> id.matches("\\d{1,18}")).map(Long::valueOf).toList();
    return numbers.isEmpty() ? 1 : pick(numbers);
  }

  /** A text of the schema's type and format; integers and times sometimes out of range. */
  private String fitting(JsonNode schema) {
    JsonNode resolved = schema.has("items") ? schema.get("items") : schema;
    if (resolved.has("enum")) {
      return pick(list(resolved.get("enum"))).asText();
    }
    return switch (type(resolved)) {
      case "integer" -> Long.toString(integer(resolved));
      case "number" -> Double.toString(random.nextDouble() * 1000);
      case "boolean" -> Boolean.toString(random.nextBoolean());
      default ->
          switch (resolved.path("format").asText()) {
            case "date-time" -> instant().toString();
            case "date" -> date().toString();
            default -> word();
          };
    };
  }

  private long integer(JsonNode schema) {
    long minimum = schema.path("minimum").asLong(0);
    long maximum = schema.path("maximum").asLong(1_000);
    return switch (random.nextInt(5)) {
      case 0 -> minimum - 1;
      case 1 -> maximum + 1;
      case 2 -> random.nextLong();
      default -> minimum + (long) (random.nextDouble() * (maximum - minimum));
    };
  }

  /** A time between 1970 and 2100, or at the edges of what Java can hold. */
  private Instant instant() {
    return switch (random.nextInt(6)) {
      case 0 -> Instant.MAX;
      case 1 -> Instant.MIN;
      default -> Instant.ofEpochSecond((long) (random.nextDouble() * 4_102_444_800L));
    };
  }

  /** A day between 1970 and 2100, or at the edges of what Java can hold. */
  private LocalDate date() {
    return switch (random.nextInt(6)) {
      case 0 -> LocalDate.MAX;
      case 1 -> LocalDate.MIN;
      default -> LocalDate.ofEpochDay(random.nextInt(47_482));
    };
  }

  private String word() {
    String letters = "abcdefghijklmnopqrstuvwxyz0123456789-_.";
    StringBuilder word = new StringBuilder();
    int length = 1 + random.nextInt(12);
    for (int i = 0; i < length; i++) {
      word.append(letters.charAt(random.nextInt(letters.length())));
    }
    return word.toString();
  }

  private String hostileText() {
    if (chance(10)) {
      return "x".repeat(200 + random.nextInt(1_000));
    }
    return pick(HOSTILE);
  }

  /** Any JSON value: nulls, extreme numbers, hostile texts, nested containers. */
  JsonNode randomJson(int depth) {
    int kinds = depth <= 0 ? 7 : 9;
    return switch (random.nextInt(kinds)) {
      case 0 -> NODES.nullNode();
      case 1 -> NODES.booleanNode(random.nextBoolean());
      case 2 -> NODES.numberNode(random.nextLong());
      case 3 -> NODES.numberNode(new BigInteger("123456789012345678901234567890"));
      case 4 -> NODES.numberNode(pick(List.of(1e308, -0.0, 4.9e-324, 0.5)));
      case 5, 6 -> NODES.textNode(hostileText());
      case 7 -> {
        ArrayNode array = NODES.arrayNode();
        int size = random.nextInt(4);
        for (int i = 0; i < size; i++) {
          array.add(randomJson(depth - 1));
        }
        yield array;
      }
      default -> {
        ObjectNode object = NODES.objectNode();
        int size = random.nextInt(4);
        for (int i = 0; i < size; i++) {
          object.set(chance(10) ? "k\u0000" : word(), randomJson(depth - 1));
        }
        yield object;
      }
    };
  }

  private static String type(JsonNode schema) {
    JsonNode type = schema.path("type");
    if (type.isArray()) {
      // OpenAPI 3.1 nullable types, e.g. [string, "null"]: the first non-null one.
      for (JsonNode each : type) {
        if (!"null".equals(each.asText())) {
          return each.asText();
        }
      }
    }
    if (schema.has("properties")) {
      return "object";
    }
    return type.asText("string");
  }

  private static List<JsonNode> list(JsonNode array) {
    List<JsonNode> items = new ArrayList<>();
    array.forEach(items::add);
    return items;
  }

  private static String write(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
