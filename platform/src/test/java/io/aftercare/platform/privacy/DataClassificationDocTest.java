package io.aftercare.platform.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/privacy.md shows the classification the code applies, row for row. */
class DataClassificationDocTest {

  private static final String HEADER = "| Data | Class | What and where | Kept |";

  @Test
  void theDocumentedTableIsTheCodesClassification() throws IOException {
    List<String> lines = Files.readAllLines(Path.of("..", "docs", "privacy.md"));
    int header = lines.indexOf(HEADER);
    assertThat(header).as("docs/privacy.md has the classification table").isNotNegative();

    List<DataCategory> documented = new ArrayList<>();
    for (String line : lines.subList(header + 2, lines.size())) {
      if (!line.startsWith("|")) {
        break;
      }
      String[] cells = line.substring(1, line.length() - 1).split("\\|", -1);
      assertThat(cells).as(line).hasSize(4);
      documented.add(
          new DataCategory(
              cells[0].strip().replace("`", ""),
              DataClass.valueOf(cells[1].strip().toUpperCase(java.util.Locale.ROOT)),
              cells[2].strip(),
              cells[3].strip()));
    }

    assertThat(documented).containsExactlyElementsOf(DataClassification.ALL);
  }

  @Test
  void eventsAndTelemetryAreSensitiveByDeviceTypeAndMetric() {
    assertThat(DataClassification.ofEvents("door_lock"))
        .isEqualTo(DataClassification.LOCK_CAMERA_EVENTS);
    assertThat(DataClassification.ofEvents("camera"))
        .isEqualTo(DataClassification.LOCK_CAMERA_EVENTS);
    assertThat(DataClassification.ofEvents("thermostat")).isEqualTo(DataClassification.TELEMETRY);
    assertThat(DataClassification.ofTelemetry("thermostat", "temperature_c"))
        .isEqualTo(DataClassification.TELEMETRY);
    assertThat(DataClassification.ofTelemetry("hub", "occupancy_room1"))
        .isEqualTo(DataClassification.PRESENCE_METRICS);
    assertThat(DataClassification.ofTelemetry("hub", "Motion"))
        .isEqualTo(DataClassification.PRESENCE_METRICS);
    assertThat(DataClassification.ofTelemetry("thermostat", null))
        .as("every metric: presence ones included")
        .isEqualTo(DataClassification.PRESENCE_METRICS);
    assertThat(DataClassification.ofTelemetry("camera", "battery_pct"))
        .isEqualTo(DataClassification.LOCK_CAMERA_EVENTS);
  }
}
