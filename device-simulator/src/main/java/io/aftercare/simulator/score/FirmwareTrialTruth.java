package io.aftercare.simulator.score;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A firmware trial's ground truth: the {@code firmware} lines {@code GroundTruthLog} writes, one
 * per version in release order, with its episode rate and whether it regressed against its
 * predecessor.
 */
public record FirmwareTrialTruth(String model, String rule, List<Version> versions) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public FirmwareTrialTruth {
    versions = List.copyOf(versions);
  }

  /**
   * @param previousFirmware null for the first version
   */
  public record Version(
      String firmware,
      String previousFirmware,
      int devices,
      double episodesPerDeviceHour,
      boolean regressed) {}

  /** The trial of a ground-truth file; empty when the run had none. */
  public static Optional<FirmwareTrialTruth> read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read ground truth " + file, e);
    }
    String model = null;
    String rule = null;
    List<Version> versions = new ArrayList<>();
    for (String text : lines) {
      if (text.isBlank()) {
        continue;
      }
      JsonNode line = parse(text);
      // Only firmware lines matter here; GroundTruth reads (and checks) the rest.
      if (!line.path("record").asText().equals("firmware")) {
        continue;
      }
      model = line.get("model").asText();
      rule = line.get("rule").asText();
      JsonNode previous = line.path("previousFirmware");
      versions.add(
          new Version(
              line.get("firmware").asText(),
              previous.isTextual() ? previous.asText() : null,
              line.get("devices").asInt(),
              line.get("episodesPerDeviceHour").asDouble(),
              line.get("regressed").asBoolean()));
    }
    return versions.isEmpty()
        ? Optional.empty()
        : Optional.of(new FirmwareTrialTruth(model, rule, versions));
  }

  private static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new IllegalArgumentException("ground truth line is not JSON: " + e.getMessage());
    }
  }
}
