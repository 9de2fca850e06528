package io.aftercare.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Promise 10 of docs/security.md for the device channels: whatever bytes a device sends as
 * telemetry, an event or a command result, the codec either reads a document that keeps the
 * contract or refuses it with {@link InvalidDocumentException}; no other exception escapes. Inputs
 * come from a seeded generator (documents of the right shape with hostile values, then truncated,
 * corrupted or replaced by random bytes); {@code -Dfuzz.seed=N} tries another seed, and a failure
 * names the seed and the payload.
 */
class DocumentCodecFuzzTest {

  private static final long SEED = Long.getLong("fuzz.seed", 20261207L);
  private static final int TRIES = Integer.getInteger("fuzz.tries", 30) * 100;
  private static final Instant NOW = Instant.parse("2026-12-07T00:00:00Z");
  // Non-ASCII escaped, so that a lone surrogate reaches the codec as \ud800 instead of failing
  // here.
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final List<String> TEXTS =
      List.of(
          "",
          "a\u0000b",
          "\uD800",
          "é✓😀",
          "x".repeat(70),
          "x".repeat(2_000),
          "2026-12-07T00:00:00Z",
          "+999999999-12-31T23:59:59Z",
          "-999999999-01-01T00:00:00Z",
          "NaN",
          "Infinity",
          "accepted",
          "succeeded",
          "failed",
          "door.opened");

  private final DocumentCodec codec = new DocumentCodec(DocumentLimits.DEFAULT);
  private final Random random = new Random(SEED);

  @Test
  void telemetryIsReadOrRefusedWithAReason() {
    for (int i = 0; i < TRIES; i++) {
      byte[] payload = payload(this::telemetryDocument);
      try {
        for (Telemetry document : codec.readTelemetry("d1", payload, NOW)) {
          assertThat(document.metrics()).isNotEmpty();
          assertThat(document.metrics().keySet()).allMatch(Identifiers::isMetricName);
          assertThat(document.metrics().values()).allMatch(Double::isFinite);
          assertThat(document.ts()).isBefore(NOW.plus(DocumentLimits.DEFAULT.maxFutureSkew()));
        }
      } catch (InvalidDocumentException refused) {
        assertThat(refused.getMessage()).isNotBlank();
      } catch (RuntimeException e) {
        throw failure("telemetry", payload, e);
      }
    }
  }

  @Test
  void eventsAreReadOrRefusedWithAReason() {
    for (int i = 0; i < TRIES; i++) {
      byte[] payload = payload(this::eventDocument);
      try {
        DeviceEvent event = codec.readEvent("d1", payload, NOW);
        assertThat(event.type()).matches("[a-z][a-z0-9_.-]{0,63}");
        assertThat(String.valueOf(event.message()) + event.code() + event.dataJson())
            .doesNotContain("\u0000", "\\u0000");
      } catch (InvalidDocumentException refused) {
        assertThat(refused.getMessage()).isNotBlank();
      } catch (RuntimeException e) {
        throw failure("event", payload, e);
      }
    }
  }

  @Test
  void commandResultsAreReadOrRefusedWithAReason() {
    for (int i = 0; i < TRIES; i++) {
      byte[] payload = payload(this::commandResultDocument);
      try {
        CommandResult result = codec.readCommandResult("d1", payload);
        assertThat(result.commandId()).isNotEmpty().doesNotContain("\u0000");
        assertThat(result.status()).isNotNull();
      } catch (InvalidDocumentException refused) {
        assertThat(refused.getMessage()).isNotBlank();
      } catch (RuntimeException e) {
        throw failure("command result", payload, e);
      }
    }
  }

  private AssertionError failure(String kind, byte[] payload, RuntimeException e) {
    String shown = new String(payload, StandardCharsets.UTF_8);
    return new AssertionError(
        kind
            + " codec threw "
            + e
            + " with seed "
            + SEED
            + " for payload "
            + (shown.length() > 300 ? shown.substring(0, 300) + "…" : shown),
        e);
  }

  /** A document of the kind, then as it is, corrupted, cut short, or replaced by noise. */
  private byte[] payload(java.util.function.Supplier<JsonNode> document) {
    byte[] bytes = write(random.nextInt(4) == 0 ? batch(document) : document.get());
    return switch (random.nextInt(8)) {
      case 0 -> java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
      case 1 -> {
        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        yield bytes;
      }
      case 2 -> {
        byte[] noise = new byte[random.nextInt(64)];
        random.nextBytes(noise);
        yield noise;
      }
      case 3 -> {
        int depth = 1 + random.nextInt(100);
        yield ("[".repeat(depth) + "]".repeat(depth)).getBytes(StandardCharsets.UTF_8);
      }
      default -> bytes;
    };
  }

  private JsonNode batch(java.util.function.Supplier<JsonNode> document) {
    ArrayNode batch = NODES.arrayNode();
    int size = random.nextInt(5);
    for (int i = 0; i < size; i++) {
      batch.add(random.nextInt(10) == 0 ? anyValue(1) : document.get());
    }
    return batch;
  }

  private JsonNode telemetryDocument() {
    ObjectNode document = NODES.objectNode();
    maybe(document, "ts", this::timestamp);
    maybe(
        document,
        "metrics",
        () -> {
          if (random.nextInt(10) == 0) {
            return anyValue(2);
          }
          ObjectNode metrics = NODES.objectNode();
          int size = random.nextInt(6);
          for (int i = 0; i < size; i++) {
            metrics.set(metricName(), metricValue());
          }
          return metrics;
        });
    maybeExtra(document);
    return document;
  }

  private JsonNode eventDocument() {
    ObjectNode document = NODES.objectNode();
    maybe(document, "ts", this::timestamp);
    maybe(document, "type", () -> random.nextBoolean() ? NODES.textNode("door.opened") : text());
    maybe(document, "code", this::text);
    maybe(document, "message", this::text);
    maybe(document, "data", () -> anyValue(3));
    maybeExtra(document);
    return document;
  }

  private JsonNode commandResultDocument() {
    ObjectNode document = NODES.objectNode();
    maybe(document, "commandId", this::text);
    maybe(document, "status", this::text);
    maybe(document, "output", () -> anyValue(3));
    maybeExtra(document);
    return document;
  }

  private void maybe(
      ObjectNode document, String field, java.util.function.Supplier<JsonNode> value) {
    if (random.nextInt(10) < 8) {
      document.set(field, random.nextInt(10) == 0 ? anyValue(1) : value.get());
    }
  }

  private void maybeExtra(ObjectNode document) {
    if (random.nextInt(20) == 0) {
      document.set(random.nextBoolean() ? "extra" : "k\u0000", anyValue(1));
    }
  }

  private JsonNode timestamp() {
    return switch (random.nextInt(6)) {
      case 0 -> NODES.numberNode(random.nextLong());
      case 1 -> NODES.numberNode(new BigInteger("99999999999999999999999"));
      case 2 -> NODES.numberNode(NOW.toEpochMilli() - random.nextInt(1_000_000));
      case 3 -> NODES.textNode(NOW.minusSeconds(random.nextInt(100_000)).toString());
      default -> text();
    };
  }

  private String metricName() {
    return switch (random.nextInt(5)) {
      case 0 -> "Bad-Name";
      case 1 -> "m\u0000";
      case 2 -> "m" + "x".repeat(70);
      default -> "m" + random.nextInt(10);
    };
  }

  private JsonNode metricValue() {
    return switch (random.nextInt(6)) {
      case 0 -> NODES.numberNode(1e308 * 10);
      case 1 -> NODES.numberNode(new BigInteger("9".repeat(60)));
      case 2 -> NODES.booleanNode(random.nextBoolean());
      case 3 -> anyValue(1);
      default -> NODES.numberNode(random.nextGaussian() * 100);
    };
  }

  private JsonNode text() {
    return NODES.textNode(TEXTS.get(random.nextInt(TEXTS.size())));
  }

  private JsonNode anyValue(int depth) {
    return switch (random.nextInt(depth <= 0 ? 5 : 7)) {
      case 0 -> NODES.nullNode();
      case 1 -> NODES.booleanNode(random.nextBoolean());
      case 2 -> NODES.numberNode(random.nextDouble() * Math.pow(10, random.nextInt(300)));
      case 3 -> NODES.numberNode(random.nextLong());
      case 4 -> text();
      case 5 -> {
        ArrayNode array = NODES.arrayNode();
        int size = random.nextInt(4);
        for (int i = 0; i < size; i++) {
          array.add(anyValue(depth - 1));
        }
        yield array;
      }
      default -> {
        ObjectNode object = NODES.objectNode();
        int size = random.nextInt(4);
        List<String> names = new ArrayList<>(List.of("a", "b\u0000", "c", "ts"));
        for (int i = 0; i < size; i++) {
          object.set(names.get(random.nextInt(names.size())), anyValue(depth - 1));
        }
        yield object;
      }
    };
  }

  private static byte[] write(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
