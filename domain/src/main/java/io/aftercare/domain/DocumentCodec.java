package io.aftercare.domain;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads the device documents of the public contract (telemetry, events) from their JSON bytes into
 * domain records. Every channel (MQTT, CoAP) goes through here, so a document is accepted or
 * refused for the same reason whichever way it arrived.
 *
 * <p>Telemetry is read with Jackson's streaming parser: it is the hot path, and streaming lets the
 * reason for a refusal name the exact document and field.
 */
public final class DocumentCodec {

  private static final Pattern EVENT_TYPE = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");
  private static final int MAX_EVENT_CODE = 64;
  private static final int MAX_EVENT_MESSAGE = 1024;
  private static final int MAX_EVENT_DATA_CHARS = 16 * 1024;
  private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");

  private final JsonFactory factory;
  private final ObjectMapper mapper;
  private final DocumentLimits limits;

  public DocumentCodec(DocumentLimits limits) {
    this.limits = limits;
    this.factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder().maxNestingDepth(32).maxNumberLength(64).build())
            .build();
    this.mapper = new ObjectMapper(factory);
  }

  /**
   * Reads one telemetry document or a JSON array of them.
   *
   * @param receivedAt server time of receipt, used where a document carries no {@code ts}
   */
  public List<Telemetry> readTelemetry(String deviceId, byte[] payload, Instant receivedAt)
      throws InvalidDocumentException {
    try (JsonParser parser = factory.createParser(payload)) {
      JsonToken first = parser.nextToken();
      List<Telemetry> documents = new ArrayList<>();
      if (first == JsonToken.START_OBJECT) {
        documents.add(readTelemetryObject(parser, deviceId, receivedAt, ""));
      } else if (first == JsonToken.START_ARRAY) {
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          String where = "[" + documents.size() + "]";
          if (documents.size() == limits.maxDocumentsPerBatch()) {
            throw new InvalidDocumentException(
                "batch has more than " + limits.maxDocumentsPerBatch() + " documents");
          }
          if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw new InvalidDocumentException(where + ": expected a telemetry object");
          }
          documents.add(readTelemetryObject(parser, deviceId, receivedAt, where));
        }
        if (documents.isEmpty()) {
          throw new InvalidDocumentException("empty batch");
        }
      } else {
        throw new InvalidDocumentException(
            "expected a telemetry object or an array of telemetry objects");
      }
      if (parser.nextToken() != null) {
        throw new InvalidDocumentException("unexpected content after the document");
      }
      return documents;
    } catch (JsonProcessingException e) {
      throw new InvalidDocumentException("invalid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InvalidDocumentException("unreadable payload");
    }
  }

  private Telemetry readTelemetryObject(
      JsonParser parser, String deviceId, Instant receivedAt, String where)
      throws IOException, InvalidDocumentException {
    Instant ts = null;
    Map<String, Double> metrics = null;
    String prefix = where.isEmpty() ? "" : where + ".";
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "ts" -> ts = readTimestamp(parser, value, prefix + "ts", receivedAt);
        case "metrics" -> metrics = readMetrics(parser, value, prefix + "metrics");
        default ->
            throw new InvalidDocumentException(
                "unknown field '" + prefix + field + "' (a telemetry document has ts and metrics)");
      }
    }
    if (metrics == null) {
      throw new InvalidDocumentException("missing field '" + prefix + "metrics'");
    }
    boolean fromDevice = ts != null;
    return new Telemetry(deviceId, fromDevice ? ts : receivedAt, fromDevice, metrics);
  }

  private Map<String, Double> readMetrics(JsonParser parser, JsonToken start, String where)
      throws IOException, InvalidDocumentException {
    if (start != JsonToken.START_OBJECT) {
      throw new InvalidDocumentException("'" + where + "' must be an object");
    }
    Map<String, Double> metrics = new HashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      if (!Identifiers.isMetricName(name)) {
        throw new InvalidDocumentException(
            "bad metric name '"
                + where
                + "."
                + truncate(name)
                + "' (expected [a-z][a-z0-9_]{0,63})");
      }
      double value = readMetricValue(parser, parser.nextToken(), where + "." + name);
      if (metrics.put(name, value) != null) {
        throw new InvalidDocumentException("duplicate metric '" + where + "." + name + "'");
      }
      if (metrics.size() > limits.maxMetricsPerDocument()) {
        throw new InvalidDocumentException(
            "'" + where + "' has more than " + limits.maxMetricsPerDocument() + " metrics");
      }
    }
    if (metrics.isEmpty()) {
      throw new InvalidDocumentException("'" + where + "' is empty");
    }
    return metrics;
  }

  private static double readMetricValue(JsonParser parser, JsonToken token, String where)
      throws IOException, InvalidDocumentException {
    switch (token) {
      case VALUE_TRUE:
        return 1.0;
      case VALUE_FALSE:
        return 0.0;
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        double value = parser.getDoubleValue();
        if (!Double.isFinite(value)) {
          throw new InvalidDocumentException("'" + where + "' is not a finite number");
        }
        return value;
      case VALUE_STRING:
        // NaN and Infinity are not JSON; devices written in C sometimes send them as strings.
        throw new InvalidDocumentException(
            "'" + where + "' must be a finite number or a boolean, not a string");
      default:
        throw new InvalidDocumentException("'" + where + "' must be a finite number or a boolean");
    }
  }

  private Instant readTimestamp(JsonParser parser, JsonToken token, String where, Instant now)
      throws IOException, InvalidDocumentException {
    Instant ts;
    if (token == JsonToken.VALUE_NUMBER_INT) {
      ts = Instant.ofEpochMilli(parser.getLongValue());
    } else if (token == JsonToken.VALUE_STRING) {
      ts = parseIsoInstant(parser.getText(), where);
    } else {
      throw new InvalidDocumentException(
          "'" + where + "' must be an ISO-8601 string or epoch milliseconds");
    }
    return checkPlausible(ts, where, now);
  }

  private Instant checkPlausible(Instant ts, String where, Instant now)
      throws InvalidDocumentException {
    if (ts.isBefore(EARLIEST)) {
      throw new InvalidDocumentException("'" + where + "' is before 2000 (device clock not set?)");
    }
    if (ts.isAfter(now.plus(limits.maxFutureSkew()))) {
      throw new InvalidDocumentException(
          "'" + where + "' is more than " + limits.maxFutureSkew() + " in the future");
    }
    return ts;
  }

  private static Instant parseIsoInstant(String text, String where)
      throws InvalidDocumentException {
    try {
      return java.time.OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new InvalidDocumentException(
          "'" + where + "' is not an ISO-8601 timestamp with offset: '" + truncate(text) + "'");
    }
  }

  /** Reads an event document. */
  public DeviceEvent readEvent(String deviceId, byte[] payload, Instant receivedAt)
      throws InvalidDocumentException {
    JsonNode root = readTree(payload);
    if (!root.isObject()) {
      throw new InvalidDocumentException("expected an event object");
    }
    Instant ts = receivedAt;
    String type = null;
    String code = "";
    String message = null;
    String dataJson = null;
    for (Map.Entry<String, JsonNode> field : root.properties()) {
      JsonNode value = field.getValue();
      switch (field.getKey()) {
        case "ts" -> ts = checkPlausible(eventTimestamp(value), "ts", receivedAt);
        case "type" -> type = text(value, "type", 64);
        case "code" -> code = text(value, "code", MAX_EVENT_CODE);
        case "message" -> message = text(value, "message", MAX_EVENT_MESSAGE);
        case "data" -> dataJson = data(value, "data");
        default ->
            throw new InvalidDocumentException(
                "unknown field '"
                    + truncate(field.getKey())
                    + "' (an event has ts, type, code, message, data)");
      }
    }
    if (type == null) {
      throw new InvalidDocumentException("missing field 'type'");
    }
    if (!EVENT_TYPE.matcher(type).matches()) {
      throw new InvalidDocumentException("bad event type '" + truncate(type) + "'");
    }
    return new DeviceEvent(deviceId, ts, type, code, message, dataJson);
  }

  /** Reads a command result document. */
  public CommandResult readCommandResult(String deviceId, byte[] payload)
      throws InvalidDocumentException {
    JsonNode root = readTree(payload);
    if (!root.isObject()) {
      throw new InvalidDocumentException("expected a command result object");
    }
    String commandId = null;
    CommandResult.Status status = null;
    String outputJson = null;
    for (Map.Entry<String, JsonNode> field : root.properties()) {
      switch (field.getKey()) {
        case "commandId" -> commandId = text(field.getValue(), "commandId", 64);
        case "status" -> status = commandStatus(field.getValue());
        case "output" -> outputJson = data(field.getValue(), "output");
        default ->
            throw new InvalidDocumentException(
                "unknown field '"
                    + truncate(field.getKey())
                    + "' (a command result has commandId, status, output)");
      }
    }
    if (commandId == null || commandId.isEmpty()) {
      throw new InvalidDocumentException("missing field 'commandId'");
    }
    if (status == null) {
      throw new InvalidDocumentException("missing field 'status'");
    }
    return new CommandResult(deviceId, commandId, status, outputJson);
  }

  private static CommandResult.Status commandStatus(JsonNode value)
      throws InvalidDocumentException {
    String text = value.isTextual() ? value.textValue() : "";
    for (CommandResult.Status status : CommandResult.Status.values()) {
      if (status.wireName().equals(text)) {
        return status;
      }
    }
    throw new InvalidDocumentException("'status' must be accepted, succeeded or failed");
  }

  private JsonNode readTree(byte[] payload) throws InvalidDocumentException {
    try {
      JsonNode root = mapper.readTree(payload);
      if (root == null || root.isMissingNode()) {
        throw new InvalidDocumentException("empty payload");
      }
      return root;
    } catch (JsonProcessingException e) {
      throw new InvalidDocumentException("invalid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InvalidDocumentException("unreadable payload");
    }
  }

  private static Instant eventTimestamp(JsonNode value) throws InvalidDocumentException {
    if (value.isIntegralNumber()) {
      return Instant.ofEpochMilli(value.longValue());
    }
    if (value.isTextual()) {
      return parseIsoInstant(value.textValue(), "ts");
    }
    throw new InvalidDocumentException("'ts' must be an ISO-8601 string or epoch milliseconds");
  }

  private static String text(JsonNode value, String field, int maxLength)
      throws InvalidDocumentException {
    if (!value.isTextual()) {
      throw new InvalidDocumentException("'" + field + "' must be a string");
    }
    String text = value.textValue();
    if (text.indexOf('\0') >= 0) {
      // PostgreSQL text cannot hold NUL; refusing here keeps a bad event from failing a batch.
      throw new InvalidDocumentException("'" + field + "' contains a NUL character");
    }
    if (text.length() > maxLength) {
      throw new InvalidDocumentException(
          "'" + field + "' is longer than " + maxLength + " characters");
    }
    return text;
  }

  private static String data(JsonNode value, String field) throws InvalidDocumentException {
    if (!value.isObject()) {
      throw new InvalidDocumentException("'" + field + "' must be an object");
    }
    String json = value.toString();
    if (json.contains("\\u0000")) {
      throw new InvalidDocumentException("'" + field + "' contains a NUL character");
    }
    if (json.length() > MAX_EVENT_DATA_CHARS) {
      throw new InvalidDocumentException(
          "'" + field + "' is larger than " + MAX_EVENT_DATA_CHARS + " characters");
    }
    return json;
  }

  private static String truncate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "…";
  }
}
