package io.aftercare.diagnostics.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.diagnostics.condition.Condition;
import io.aftercare.diagnostics.condition.ConditionScope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads a rule's {@code levels} ladder. Which trigger a level uses ({@code when}, {@code count},
 * {@code after} or {@code within}) follows from the rule's kind, and the ladder must climb: each
 * level more severe, for counts and times strictly larger, and for forecast horizons strictly
 * shorter (the sooner the limit, the worse), than the one before.
 */
final class LevelParser {
  private final RuleKind kind;

  LevelParser(RuleKind kind) {
    this.kind = kind;
  }

  List<SeverityLevel> parse(FieldReader rule) {
    List<SeverityLevel> levels = new ArrayList<>();
    JsonNode list = rule.raw("levels");
    if (list == null || !list.isArray() || list.isEmpty()) {
      rule.error("levels", "is required: a non-empty list of {severity, " + triggerField() + "}");
      return levels;
    }
    SeverityLevel previous = null;
    for (int i = 0; i < list.size(); i++) {
      FieldReader reader = rule.nested(list.get(i), "levels[" + i + "]");
      reader.rejectUnknownFields(
          Set.of("severity", triggerField()),
          "is not used by a " + kind.wireName() + " rule's level (use '" + triggerField() + "')");
      Severity severity = reader.enumValue("severity", Severity.class, null);
      SeverityLevel level = readTrigger(reader, severity);
      if (severity == null || level == null) {
        continue;
      }
      if (previous != null && !climbs(previous, level)) {
        reader.error(
            "severity",
            "levels must be listed from least to most severe, each with a "
                + (kind == RuleKind.FORECAST ? "shorter " : "larger ")
                + triggerField());
        continue;
      }
      levels.add(level);
      previous = level;
    }
    return levels;
  }

  private SeverityLevel readTrigger(FieldReader reader, Severity severity) {
    if (kind.isConditional()) {
      Condition when = reader.condition("when", ConditionScope.SAMPLE, true);
      return when == null ? null : SeverityLevel.onCondition(severity, when);
    }
    if (kind == RuleKind.FORECAST) {
      Duration within = reader.duration("within", true);
      if (within != null && within.isZero()) {
        reader.error("within", "must be longer than zero");
        return null;
      }
      return within == null ? null : SeverityLevel.within(severity, within);
    }
    if (kind.isCounting()) {
      if (!reader.has("count")) {
        reader.error("count", "is required");
        return null;
      }
      int count = reader.integer("count", 0, 1, 10_000);
      return count == 0 ? null : SeverityLevel.onCount(severity, count);
    }
    Duration after = reader.duration("after", kind == RuleKind.ABSENCE);
    if (kind == RuleKind.ABSENCE && after != null && after.isZero()) {
      reader.error("after", "must be longer than zero");
      return null;
    }
    return after == null && kind == RuleKind.ABSENCE
        ? null
        : SeverityLevel.after(severity, after == null ? Duration.ZERO : after);
  }

  private boolean climbs(SeverityLevel lower, SeverityLevel higher) {
    if (!higher.severity().isAbove(lower.severity())) {
      return false;
    }
    if (kind.isCounting()) {
      return higher.count() > lower.count();
    }
    if (kind.isTimed()) {
      return higher.after().compareTo(lower.after()) > 0;
    }
    if (kind == RuleKind.FORECAST) {
      return higher.within().compareTo(lower.within()) < 0;
    }
    return true;
  }

  private String triggerField() {
    if (kind == RuleKind.FORECAST) {
      return "within";
    }
    if (kind.isConditional()) {
      return "when";
    }
    return kind.isCounting() ? "count" : "after";
  }
}
