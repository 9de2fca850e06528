package io.aftercare.diagnostics.cases;

import io.aftercare.diagnostics.DiagnosticsEngine;
import io.aftercare.diagnostics.alarm.AlarmChange;
import io.aftercare.diagnostics.alarm.AlarmChangeType;
import io.aftercare.diagnostics.rules.RuleSet;
import io.aftercare.domain.DeviceEvent;
import io.aftercare.domain.Telemetry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Plays a {@link RuleCase} through a fresh engine and describes the alarm changes it produced. */
final class RuleCaseRunner {
  static final Instant EPOCH = Instant.parse("2026-11-23T00:00:00Z");

  private final RuleSet rules;

  RuleCaseRunner(RuleSet rules) {
    this.rules = rules;
  }

  /** The produced changes as "at type rule severity" lines, comparable with the expectation. */
  List<String> run(RuleCase ruleCase) {
    DiagnosticsEngine engine = new DiagnosticsEngine(() -> rules);
    List<AlarmChange> changes = new ArrayList<>();
    for (RuleCase.Step step : ruleCase.steps()) {
      for (int i = 0; i < step.repeat(); i++) {
        Instant at = EPOCH.plus(step.at()).plus(step.every().multipliedBy(i));
        changes.addAll(play(engine, ruleCase, step, at));
      }
    }
    List<String> lines = new ArrayList<>();
    for (AlarmChange change : changes) {
      if (change.type() != AlarmChangeType.UPDATED || ruleCase.includeUpdates()) {
        lines.add(describe(ruleCase, change));
      }
    }
    return lines;
  }

  static List<String> expected(RuleCase ruleCase) {
    return ruleCase.expected().stream()
        .map(e -> line(e.at(), e.type(), e.rule(), e.severity() == null ? "" : " " + e.severity()))
        .toList();
  }

  private static List<AlarmChange> play(
      DiagnosticsEngine engine, RuleCase ruleCase, RuleCase.Step step, Instant at) {
    List<AlarmChange> changes = new ArrayList<>();
    var device = ruleCase.device();
    if (step.telemetry() != null) {
      changes.addAll(
          engine.onTelemetry(device, new Telemetry(device.id(), at, true, step.telemetry())));
    }
    if (step.eventType() != null) {
      changes.addAll(
          engine.onEvent(
              device,
              new DeviceEvent(device.id(), at, step.eventType(), step.eventCode(), "", null)));
    }
    if (step.connectivity() != null) {
      changes.addAll(engine.onConnectivity(device, step.connectivity(), at));
    }
    if (step.tick()) {
      changes.addAll(engine.tick(at));
    }
    return changes;
  }

  private static String describe(RuleCase ruleCase, AlarmChange change) {
    boolean anySeverity =
        ruleCase.expected().stream()
            .anyMatch(
                e ->
                    e.severity() == null
                        && e.rule().equals(change.ruleId())
                        && e.type().equals(typeName(change)));
    return line(
        Duration.between(EPOCH, change.at()),
        typeName(change),
        change.ruleId(),
        anySeverity ? "" : " " + change.severity().wireName());
  }

  private static String typeName(AlarmChange change) {
    return change.type().name().toLowerCase(Locale.ROOT);
  }

  private static String line(Duration at, String type, String rule, String severity) {
    return "at " + at.toSeconds() + "s " + type + " " + rule + severity;
  }
}
