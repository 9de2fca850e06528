package io.aftercare.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DocumentCodecTest {

  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  private final DocumentCodec codec = new DocumentCodec(DocumentLimits.DEFAULT);

  private List<Telemetry> telemetry(String json) throws InvalidDocumentException {
    return codec.readTelemetry("d1", json.getBytes(StandardCharsets.UTF_8), NOW);
  }

  @Test
  void readsTheContractExample() throws Exception {
    List<Telemetry> documents =
        telemetry(
            "{\"ts\": \"2026-11-23T10:00:00Z\", \"metrics\": {\"temperature_c\": 21.5,"
                + " \"battery_pct\": 87, \"door_open\": false}}");

    assertThat(documents).hasSize(1);
    Telemetry document = documents.get(0);
    assertThat(document.deviceId()).isEqualTo("d1");
    assertThat(document.ts()).isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
    assertThat(document.timestampFromDevice()).isTrue();
    assertThat(document.metrics())
        .containsEntry("temperature_c", 21.5)
        .containsEntry("battery_pct", 87.0)
        .containsEntry("door_open", 0.0);
  }

  @Test
  void stampsDocumentsWithoutTimestampWithTheReceiptTime() throws Exception {
    Telemetry document = telemetry("{\"metrics\": {\"door_open\": true}}").get(0);

    assertThat(document.ts()).isEqualTo(NOW);
    assertThat(document.timestampFromDevice()).isFalse();
    assertThat(document.metrics()).containsEntry("door_open", 1.0);
  }

  @Test
  void readsBatchesWithEpochMillisAndOffsets() throws Exception {
    List<Telemetry> documents =
        telemetry(
            "[{\"ts\": 1795428000000, \"metrics\": {\"a\": 1}},"
                + " {\"ts\": \"2026-11-23T11:00:00+01:00\", \"metrics\": {\"a\": 2}}]");

    assertThat(documents)
        .extracting(Telemetry::ts)
        .allMatch(ts -> ts.equals(Instant.parse("2026-11-23T10:00:00Z")));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          {"metrics": {"t": 1}                            | invalid JSON
          "hello"                                          | expected a telemetry object
          []                                               | empty batch
          [1]                                              | [0]: expected a telemetry object
          {"metrics": {"t": 1}, "extra": 2}               | unknown field 'extra'
          {"ts": "2026-11-23T10:00:00Z"}                   | missing field 'metrics'
          {"metrics": {"T": 1}}                            | bad metric name 'metrics.T'
          {"metrics": {"t": "NaN"}}                        | 'metrics.t' must be a finite number or a boolean, not a string
          {"metrics": {"t": 1e400}}                        | 'metrics.t' is not a finite number
          {"metrics": {"t": null}}                         | 'metrics.t' must be a finite number or a boolean
          {"metrics": {"t": 1, "t": 2}}                    | duplicate metric 'metrics.t'
          {"ts": "yesterday", "metrics": {"t": 1}}         | 'ts' is not an ISO-8601 timestamp
          {"ts": "2026-11-23T10:00:00", "metrics": {"t": 1}} | 'ts' is not an ISO-8601 timestamp with offset
          {"ts": 0, "metrics": {"t": 1}}                   | before 2000
          {"ts": "2030-01-01T00:00:00Z", "metrics": {"t": 1}} | in the future
          [{"metrics": {"t": 1}}, {"metrics": {"t": true, "u": []}}] | '[1].metrics.u' must be a finite number or a boolean
          {"metrics": {"t": 1}} {"metrics": {"t": 2}}      | unexpected content after the document
          """)
  void refusesDocumentsThatBreakTheContractWithAReasonNamingTheField(String json, String reason) {
    assertThatThrownBy(() -> telemetry(json))
        .isInstanceOf(InvalidDocumentException.class)
        .hasMessageContaining(reason);
  }

  @Test
  void boundsBatchSizeAndMetricsPerDocument() {
    DocumentCodec small =
        new DocumentCodec(new DocumentLimits(2, 2, DocumentLimits.DEFAULT.maxFutureSkew()));
    assertThatThrownBy(
            () ->
                small.readTelemetry(
                    "d1",
                    "[{\"metrics\":{\"a\":1}},{\"metrics\":{\"a\":1}},{\"metrics\":{\"a\":1}}]"
                        .getBytes(StandardCharsets.UTF_8),
                    NOW))
        .hasMessageContaining("more than 2 documents");
    assertThatThrownBy(
            () ->
                small.readTelemetry(
                    "d1",
                    "{\"metrics\":{\"a\":1,\"b\":2,\"c\":3}}".getBytes(StandardCharsets.UTF_8),
                    NOW))
        .hasMessageContaining("more than 2 metrics");
  }

  @Test
  void readsTheContractEventExample() throws Exception {
    DeviceEvent event =
        codec.readEvent(
            "d1",
            ("{\"ts\": \"2026-11-23T10:00:02Z\", \"type\": \"error\", \"code\": \"E_COMPRESSOR_STALL\","
                    + " \"message\": \"compressor stalled\", \"data\": {\"retries\": 3}}")
                .getBytes(StandardCharsets.UTF_8),
            NOW);

    assertThat(event.type()).isEqualTo("error");
    assertThat(event.code()).isEqualTo("E_COMPRESSOR_STALL");
    assertThat(event.message()).isEqualTo("compressor stalled");
    assertThat(event.dataJson()).isEqualTo("{\"retries\":3}");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          {"code": "E1"}                                   | missing field 'type'
          {"type": "Error!"}                               | bad event type
          {"type": "error", "data": [1]}                   | 'data' must be an object
          {"type": "error", "message": "a\\u0000b"}        | NUL
          {"type": "error", "colour": "red"}               | unknown field 'colour'
          """)
  void refusesBadEvents(String json, String reason) {
    assertThatThrownBy(() -> codec.readEvent("d1", json.getBytes(StandardCharsets.UTF_8), NOW))
        .isInstanceOf(InvalidDocumentException.class)
        .hasMessageContaining(reason);
  }
}
