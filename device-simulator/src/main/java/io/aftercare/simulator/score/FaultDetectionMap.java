package io.aftercare.simulator.score;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.aftercare.domain.Durations;
import io.aftercare.simulator.fault.FaultKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which rules' alarms count as detecting each fault, per device type: the explicit matching data of
 * {@code score} ({@code /score/fault-detection.yaml}, explained there).
 */
public final class FaultDetectionMap {

  private static final String RESOURCE = "/score/fault-detection.yaml";

  private final Map<FaultKind, List<Entry>> entries;

  private FaultDetectionMap(Map<FaultKind, List<Entry>> entries) {
    this.entries = entries;
  }

  /**
   * How a fault shows up on one device type.
   *
   * @param rules alarms of these rules detect the fault
   * @param forecasts those of {@code rules} that forecast (warn ahead of a limit); {@code score}
   *     reports the time to their first warning apart
   * @param explains alarms of these rules are side effects of the fault
   * @param needs the least time after the fault's start before any of {@code rules} can raise
   * @param note why the rules may miss the fault even given time, if they can
   */
  public record Detection(
      Set<String> rules,
      Set<String> forecasts,
      Set<String> explains,
      Duration needs,
      Optional<String> note) {

    static final Detection NONE =
        new Detection(Set.of(), Set.of(), Set.of(), Duration.ZERO, Optional.empty());

    public boolean possible() {
      return !rules.isEmpty();
    }
  }

  /**
   * @param types empty: every device type
   */
  private record Entry(Set<String> types, Detection detection) {}

  /** The map bundled with the simulator, matching the platform's default rule pack. */
  public static FaultDetectionMap defaults() {
    try (InputStream in = FaultDetectionMap.class.getResourceAsStream(RESOURCE)) {
      return parse(new ObjectMapper(new YAMLFactory()).readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  /**
   * How {@code fault} shows up on a device of {@code type}; {@link Detection#NONE} if it cannot.
   */
  public Detection detection(FaultKind fault, String type) {
    return entries.getOrDefault(fault, List.of()).stream()
        .filter(e -> e.types().isEmpty() || e.types().contains(type))
        .map(Entry::detection)
        .findFirst()
        .orElse(Detection.NONE);
  }

  /** Every rule name the map mentions, to check against a rule pack. */
  public Set<String> ruleNames() {
    Set<String> names = new LinkedHashSet<>();
    entries.values().stream()
        .flatMap(List::stream)
        .forEach(
            e -> {
              names.addAll(e.detection().rules());
              names.addAll(e.detection().explains());
            });
    return names;
  }

  private static FaultDetectionMap parse(JsonNode root) {
    Map<FaultKind, List<Entry>> entries = new EnumMap<>(FaultKind.class);
    root.path("faults")
        .properties()
        .forEach(
            fault -> {
              List<Entry> list = new ArrayList<>();
              fault.getValue().forEach(node -> list.add(entry(node)));
              entries.put(FaultKind.fromId(fault.getKey()), List.copyOf(list));
            });
    return new FaultDetectionMap(entries);
  }

  private static Entry entry(JsonNode node) {
    JsonNode needs = node.path("needs");
    JsonNode note = node.path("note");
    return new Entry(
        names(node.path("types")),
        new Detection(
            names(node.path("rules")),
            names(node.path("forecasts")),
            names(node.path("explains")),
            needs.isMissingNode() ? Duration.ZERO : Durations.parse(needs.asText()),
            note.isMissingNode() ? Optional.empty() : Optional.of(note.asText())));
  }

  private static Set<String> names(JsonNode list) {
    Set<String> names = new LinkedHashSet<>();
    list.forEach(n -> names.add(n.asText()));
    return Collections.unmodifiableSet(names);
  }
}
