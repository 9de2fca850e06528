package io.aftercare.diagnostics.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.diagnostics.condition.ConditionCompiler;
import io.aftercare.diagnostics.condition.ConditionScope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns the YAML tree of one rule file into validated {@link Rule}s. Problems are appended to the
 * caller's error list; a rule with any problem is left out.
 */
final class RuleFileParser {
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z][a-z0-9_]{0,63}");
  private static final Set<String> COMMON_FIELDS =
      Set.of(
          "id",
          "description",
          "kind",
          "enabled",
          "device_types",
          "device",
          "levels",
          "peak",
          "category",
          "remedies",
          "playbook",
          "open_ticket");
  private static final Map<RuleKind, Set<String>> KIND_FIELDS =
      Map.of(
          RuleKind.THRESHOLD, Set.of("metric", "clear"),
          RuleKind.DURATION, Set.of("metric", "clear", "for"),
          RuleKind.REPEATING, Set.of("metric", "condition", "window", "clear_below"),
          RuleKind.ABSENCE, Set.of(),
          RuleKind.STUCK, Set.of("metric", "samples", "tolerance"),
          RuleKind.RATE_OF_CHANGE, Set.of("metric", "clear", "window", "max_samples"),
          RuleKind.FLAPPING, Set.of("metric", "window", "clear_below"),
          RuleKind.EVENT, Set.of("event", "window", "clear_below"),
          RuleKind.FORECAST, ForecastSettingsParser.FIELDS);

  private final ConditionCompiler compiler;
  private final RemedyCheck remedyCheck;

  RuleFileParser(ConditionCompiler compiler, RemedyCheck remedyCheck) {
    this.remedyCheck = remedyCheck;
    this.compiler = compiler;
  }

  /** The rules of one file, plus the ids it switches off with {@code enabled: false}. */
  record ParsedFile(List<Rule> rules, Set<String> disabledIds) {}

  /**
   * @param playbooks the playbooks of every rule folder, by id, that rules may name
   */
  ParsedFile parse(
      String fileName, JsonNode root, Map<String, Playbook> playbooks, List<String> errors) {
    List<Rule> rules = new ArrayList<>();
    Set<String> disabled = new HashSet<>();
    JsonNode list = root == null ? null : root.get("rules");
    if (list == null || !list.isArray()) {
      errors.add(fileName + ": expected a top-level 'rules:' list");
      return new ParsedFile(rules, disabled);
    }
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode node = list.get(i);
      String id = node.path("id").asText("");
      String label = id.isEmpty() ? "#" + (i + 1) : id;
      List<String> ruleErrors = new ArrayList<>();
      FieldReader reader =
          new FieldReader(node, fileName + ": rule '" + label + "'", "", ruleErrors, compiler);
      if (!IDENTIFIER.matcher(id).matches()) {
        reader.error("id", "is required and must match [a-z][a-z0-9_]{0,63}");
      } else if (seen.put(id, i) != null) {
        reader.error("id", "is defined twice in this file");
      }
      if (!reader.bool("enabled", true)) {
        disabled.add(id);
      } else {
        Rule rule = parseRule(id, fileName, reader, playbooks);
        if (ruleErrors.isEmpty()) {
          rules.add(rule);
        }
      }
      errors.addAll(ruleErrors);
    }
    return new ParsedFile(rules, disabled);
  }

  private Rule parseRule(
      String id, String fileName, FieldReader reader, Map<String, Playbook> playbooks) {
    RuleKind kind = reader.enumValue("kind", RuleKind.class, null);
    if (kind == null) {
      return null;
    }
    Set<String> allowed = new HashSet<>(COMMON_FIELDS);
    allowed.addAll(KIND_FIELDS.get(kind));
    reader.rejectUnknownFields(allowed, "is not a field of a " + kind.wireName() + " rule");

    boolean needsMetric = kind != RuleKind.ABSENCE && kind != RuleKind.EVENT;
    boolean metricOptional = kind == RuleKind.FLAPPING;
    String metric = needsMetric ? reader.text("metric", !metricOptional) : null;
    if (metric != null && !IDENTIFIER.matcher(metric).matches()) {
      reader.error("metric", "must match [a-z][a-z0-9_]{0,63}");
    }
    boolean needsWindow =
        kind.isCounting() || kind == RuleKind.RATE_OF_CHANGE || kind == RuleKind.FORECAST;
    Duration window = needsWindow ? positive(reader, "window") : Duration.ZERO;
    Duration holdFor = kind == RuleKind.DURATION ? positive(reader, "for") : Duration.ZERO;
    List<SeverityLevel> levels = new LevelParser(kind).parse(reader);
    int highestCount = levels.isEmpty() ? 1 : levels.get(levels.size() - 1).count();

    return new Rule(
        id,
        fileName,
        reader.text("description", false),
        kind,
        Set.copyOf(reader.textList("device_types")),
        reader.condition("device", ConditionScope.DEVICE, false),
        metric,
        kind == RuleKind.REPEATING
            ? reader.condition("condition", ConditionScope.SAMPLE, true)
            : null,
        kind == RuleKind.EVENT ? reader.condition("event", ConditionScope.EVENT, true) : null,
        levels,
        kind.isConditional() ? reader.condition("clear", ConditionScope.SAMPLE, false) : null,
        window,
        holdFor,
        kind == RuleKind.STUCK ? reader.integer("samples", 0, 2, 10_000) : 0,
        reader.number("tolerance", 0.0),
        reader.integer("clear_below", 1, 1, Math.max(1, highestCount)),
        reader.integer("max_samples", 64, 2, 1024),
        reader.enumValue("peak", PeakDirection.class, PeakDirection.MAX),
        reader.enumValue("category", DiagnosisCategory.class, null),
        parseRemedies(reader, playbooks),
        reader.bool("open_ticket", false),
        kind == RuleKind.FORECAST
            ? ForecastSettingsParser.parse(reader, metric, window, levels)
            : null);
  }

  private static Duration positive(FieldReader reader, String field) {
    Duration value = reader.duration(field, true);
    if (value != null && value.isZero()) {
      reader.error(field, "must be longer than zero");
    }
    return value;
  }

  private List<Remedy> parseRemedies(FieldReader reader, Map<String, Playbook> playbooks) {
    List<Remedy> remedies = new ArrayList<>();
    String playbookId = reader.text("playbook", false);
    if (playbookId != null) {
      Playbook playbook = playbooks.get(playbookId);
      if (reader.has("remedies")) {
        reader.error("playbook", "a rule names a playbook or lists remedies, not both");
      } else if (playbook == null) {
        reader.error("playbook", "'" + playbookId + "' is not a playbook of the rule folders");
      } else {
        remedies.addAll(playbook.steps());
      }
      return remedies;
    }
    JsonNode list = reader.raw("remedies");
    if (list == null || list.isNull()) {
      return remedies;
    }
    if (!list.isArray()) {
      reader.error("remedies", "must be a list of {command, params}");
      return remedies;
    }
    for (int i = 0; i < list.size(); i++) {
      FieldReader item = reader.nested(list.get(i), "remedies[" + i + "]");
      item.rejectUnknownFields(Set.of("command", "params"), "is not a field of a remedy");
      Remedy remedy = RemedyReader.read(item, null, remedyCheck);
      if (remedy != null) {
        remedies.add(remedy);
      }
    }
    return remedies;
  }
}
