package io.aftercare.diagnostics.cases;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.aftercare.diagnostics.DeviceProfile;
import io.aftercare.diagnostics.LinkChange;
import io.aftercare.domain.Durations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Reads every {@code rule-cases/*.yaml} file from the test class path. */
final class RuleCaseReader {
  private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

  List<RuleCase> readAll() {
    try (Stream<Path> files = Files.list(Path.of(getClass().getResource("/rule-cases").toURI()))) {
      List<RuleCase> cases = new ArrayList<>();
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        for (JsonNode node : yaml.readTree(file.toFile()).get("cases")) {
          cases.add(readCase(file.getFileName().toString(), node));
        }
      }
      return cases;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private RuleCase readCase(String file, JsonNode node) {
    JsonNode device = node.path("device");
    DeviceProfile profile =
        new DeviceProfile(
            device.path("id").asText("dev-1"),
            device.path("type").asText(),
            device.path("model").asText("M1"),
            device.path("firmware").asText("1.0.0"));
    List<RuleCase.Step> steps = new ArrayList<>();
    node.path("steps").forEach(step -> steps.add(readStep(step)));
    List<RuleCase.Expected> expected = new ArrayList<>();
    node.path("expect")
        .forEach(
            e ->
                expected.add(
                    new RuleCase.Expected(
                        duration(e.path("at")),
                        e.path("type").asText(),
                        e.path("rule").asText(),
                        e.hasNonNull("severity") ? e.get("severity").asText() : null)));
    return new RuleCase(
        file,
        node.path("name").asText(),
        node.path("rule").asText(),
        profile,
        node.path("include_updates").asBoolean(false),
        steps,
        expected);
  }

  private static RuleCase.Step readStep(JsonNode step) {
    Map<String, Double> telemetry = null;
    if (step.has("telemetry")) {
      telemetry = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> field : step.get("telemetry").properties()) {
        JsonNode value = field.getValue();
        telemetry.put(
            field.getKey(), value.isBoolean() ? (value.asBoolean() ? 1.0 : 0.0) : value.asDouble());
      }
    }
    JsonNode event = step.get("event");
    JsonNode repeat = step.path("repeat");
    return new RuleCase.Step(
        duration(step.path("at")),
        telemetry,
        event == null ? null : event.path("type").asText(),
        event == null ? null : event.path("code").asText(""),
        step.has("connectivity") ? link(step.get("connectivity").asText()) : null,
        step.path("tick").asBoolean(false),
        repeat.path("times").asInt(1),
        repeat.has("every") ? duration(repeat.get("every")) : Duration.ZERO);
  }

  /** {@code online}, {@code offline} (the link ended cleanly) or {@code dropped}. */
  private static LinkChange link(String text) {
    return switch (text) {
      case "online" -> LinkChange.CONNECTED;
      case "offline" -> LinkChange.ENDED;
      case "dropped" -> LinkChange.DROPPED;
      default -> throw new IllegalArgumentException("connectivity: " + text);
    };
  }

  private static Duration duration(JsonNode node) {
    return Durations.parse(node.asText("0s"));
  }
}
