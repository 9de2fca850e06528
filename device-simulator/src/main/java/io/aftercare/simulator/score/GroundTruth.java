package io.aftercare.simulator.score;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.simulator.fault.FaultKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A run's ground truth as written by {@code GroundTruthLog}: when it started and ended, its devices
 * with their types, the faults it injected and the cures commands brought.
 *
 * @param devices device id → type; the type is null when the file has no device line for it
 * @param endedAt empty while the run goes on (or when it was killed before writing its end)
 * @param homes the homes and regions of the devices, and the outages of whole homes
 */
public record GroundTruth(
    Instant startedAt,
    Optional<Instant> endedAt,
    Map<String, String> devices,
    List<InjectedFault> faults,
    List<Cure> cures,
    HomeTruth homes) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public GroundTruth {
    // Not Map.copyOf: a device known only from its fault line has no type yet (null).
    devices = Collections.unmodifiableMap(new LinkedHashMap<>(devices));
    faults = List.copyOf(faults);
    cures = List.copyOf(cures);
  }

  /** A run without homes. */
  public GroundTruth(
      Instant startedAt,
      Optional<Instant> endedAt,
      Map<String, String> devices,
      List<InjectedFault> faults,
      List<Cure> cures) {
    this(startedAt, endedAt, devices, faults, cures, HomeTruth.none());
  }

  /** One planned fault: from {@code startAt} on, the device has it until a cure (if any). */
  public record InjectedFault(
      String device, FaultKind fault, Instant startAt, Optional<String> curedBy) {}

  /** A command that cured a fault, at the time the device applied it. */
  public record Cure(String device, FaultKind fault, String command, Instant curedAt) {}

  /** The first cure of {@code fault} at or after it started, if a command cured it. */
  public Optional<Cure> cureOf(InjectedFault fault) {
    return cures.stream()
        .filter(c -> c.device().equals(fault.device()) && c.fault() == fault.fault())
        .filter(c -> !c.curedAt().isBefore(fault.startAt()))
        .min(Comparator.comparing(Cure::curedAt));
  }

  /** The devices whose type the file does not give (files written before device lines). */
  public List<String> untypedDevices() {
    return devices.entrySet().stream()
        .filter(e -> e.getValue() == null)
        .map(Map.Entry::getKey)
        .toList();
  }

  /** This ground truth with the types of {@code types} filled in. */
  public GroundTruth withDeviceTypes(Map<String, String> types) {
    Map<String, String> typed = new LinkedHashMap<>(devices);
    typed.replaceAll((id, type) -> type != null ? type : types.get(id));
    return new GroundTruth(startedAt, endedAt, typed, faults, cures, homes);
  }

  /** Reads a ground-truth file; lines of unknown kinds are skipped so the format can grow. */
  public static GroundTruth read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read ground truth " + file, e);
    }
    Instant startedAt = null;
    Instant endedAt = null;
    Map<String, String> devices = new LinkedHashMap<>();
    List<InjectedFault> faults = new ArrayList<>();
    List<Cure> cures = new ArrayList<>();
    Map<String, String> homeOfDevice = new LinkedHashMap<>();
    Map<String, String> regionOfHome = new LinkedHashMap<>();
    List<HomeTruth.InjectedOutage> outages = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      JsonNode line = parse(file, i + 1, lines.get(i));
      switch (line.path("record").asText()) {
        case "run" -> startedAt = instant(line, "startedAt");
        case "end" -> endedAt = instant(line, "endedAt");
        case "device" -> {
          devices.put(line.get("device").asText(), line.get("type").asText());
          if (line.path("home").isTextual()) {
            homeOfDevice.put(line.get("device").asText(), line.get("home").asText());
            if (line.path("region").isTextual()) {
              regionOfHome.put(line.get("home").asText(), line.get("region").asText());
            }
          }
        }
        case "outage" -> outages.add(outage(line));
        case "fault" -> {
          InjectedFault fault = fault(line);
          faults.add(fault);
          devices.putIfAbsent(fault.device(), null);
          if (startedAt == null) {
            // Files written before the run line existed: the start is startAt - startOffsetS.
            startedAt =
                fault
                    .startAt()
                    .minus(Duration.ofMillis((long) (line.get("startOffsetS").asDouble() * 1000)));
          }
        }
        case "cure" ->
            cures.add(
                new Cure(
                    line.get("device").asText(),
                    FaultKind.fromId(line.get("fault").asText()),
                    line.get("curedBy").asText(),
                    instant(line, "curedAt")));
        default -> {
          // Not a record the score needs.
        }
      }
    }
    if (startedAt == null) {
      throw new IllegalArgumentException(
          file + " is not a ground-truth file: no run or fault line");
    }
    return new GroundTruth(
        startedAt,
        Optional.ofNullable(endedAt),
        devices,
        faults,
        cures,
        new HomeTruth(homeOfDevice, regionOfHome, outages));
  }

  private static HomeTruth.InjectedOutage outage(JsonNode line) {
    return new HomeTruth.InjectedOutage(
        line.get("outage").asText(),
        line.path("region").isTextual()
            ? Optional.of(line.get("region").asText())
            : Optional.empty(),
        texts(line.get("homes")),
        texts(line.get("devices")),
        instant(line, "startAt"),
        instant(line, "endAt"));
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(item -> texts.add(item.asText()));
    return texts;
  }

  private static InjectedFault fault(JsonNode line) {
    JsonNode curedBy = line.path("curedBy");
    return new InjectedFault(
        line.get("device").asText(),
        FaultKind.fromId(line.get("fault").asText()),
        instant(line, "startAt"),
        curedBy.isTextual() ? Optional.of(curedBy.asText()) : Optional.empty());
  }

  private static Instant instant(JsonNode line, String field) {
    return Instant.parse(line.get(field).asText());
  }

  private static JsonNode parse(Path file, int number, String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ":" + number + ": not JSON: " + e.getMessage());
    }
  }
}
