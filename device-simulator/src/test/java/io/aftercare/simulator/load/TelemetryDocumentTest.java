package io.aftercare.simulator.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TelemetryDocumentTest {

  @Test
  void theDocumentIsJsonWithTheTimestampAndOneValuePerMetric() throws Exception {
    JsonNode json = new ObjectMapper().readTree(new TelemetryDocument(3).bytes(1_735_689_600_123L));

    assertThat(json.get("ts").asLong()).isEqualTo(1_735_689_600_123L);
    assertThat(json.get("metrics").size()).isEqualTo(3);
    assertThat(json.get("metrics").get("load_0").asLong()).isEqualTo(123);
    assertThat(json.get("metrics").get("load_2").asLong()).isEqualTo(125);
  }

  @Test
  void zeroAndRoundNumbersKeepAllTheirDigitsAndTheLengthIsExact() {
    TelemetryDocument document = new TelemetryDocument(1);
    ByteBuf buffer = Unpooled.buffer();

    document.writeTo(buffer, 1_000);

    assertThat(buffer.toString(StandardCharsets.US_ASCII))
        .isEqualTo("{\"ts\":1000,\"metrics\":{\"load_0\":0}}");
    assertThat(document.length(1_000)).isEqualTo(buffer.readableBytes());
    assertThat(new TelemetryDocument(12).bytes(99_999))
        .hasSize(new TelemetryDocument(12).length(99_999));
  }

  @Test
  void aBatchIsAJsonArrayOfDocumentsStampedOneMillisecondApartWithAnExactLength() throws Exception {
    TelemetryDocument batch = new TelemetryDocument(2, 3);

    JsonNode json = new ObjectMapper().readTree(batch.bytes(9_998));

    assertThat(json.isArray()).isTrue();
    assertThat(json).extracting(d -> d.get("ts").asLong()).containsExactly(9_998L, 9_999L, 10_000L);
    assertThat(json.get(2).get("metrics").get("load_1").asLong()).isEqualTo(1);
    assertThat(batch.bytes(9_998)).hasSize(batch.length(9_998));
  }
}
