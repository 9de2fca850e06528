package io.aftercare.diagnostics.rules;

import io.aftercare.diagnostics.condition.Condition;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * One validated fault rule. Built only by {@link RuleFileParser}, so every instance is consistent
 * with its kind (for example a counting rule always has a window and count levels).
 *
 * @param deviceTypes the device types the rule applies to; empty means every type
 * @param deviceCondition an optional CEL condition over the device's attributes, or {@code null}
 * @param metric the metric the rule watches; {@code null} for absence and event rules and for
 *     flapping on the connection state
 * @param sampleCondition the per-sample CEL condition of a repeating rule, {@code null} otherwise
 * @param eventFilter the CEL filter of an event rule, {@code null} otherwise
 * @param levels the severity ladder, least severe first
 * @param clearCondition the hysteresis condition that clears a conditional rule's alarm; {@code
 *     null} means "no level holds"
 * @param window the time window of counting and rate-of-change rules
 * @param holdFor how long a duration rule's condition must hold
 * @param samples how many identical samples make a stuck sensor
 * @param tolerance the largest change still considered "unchanged" by a stuck rule
 * @param clearBelow a counting rule clears once fewer than this many occurrences remain in the
 *     window
 * @param maxSamples the cap on samples kept for a rate-of-change window
 * @param forecast the settings of a forecast rule, {@code null} for other kinds
 */
public record Rule(
    String id,
    String sourceFile,
    String description,
    RuleKind kind,
    Set<String> deviceTypes,
    Condition deviceCondition,
    String metric,
    Condition sampleCondition,
    Condition eventFilter,
    List<SeverityLevel> levels,
    Condition clearCondition,
    Duration window,
    Duration holdFor,
    int samples,
    double tolerance,
    int clearBelow,
    int maxSamples,
    PeakDirection peak,
    DiagnosisCategory category,
    List<Remedy> remedies,
    boolean openTicket,
    ForecastSettings forecast) {

  public Rule {
    deviceTypes = Set.copyOf(deviceTypes);
    levels = List.copyOf(levels);
    remedies = List.copyOf(remedies);
  }

  /** Whether this is a flapping rule over the device's online/offline state. */
  public boolean watchesConnectivity() {
    return kind == RuleKind.FLAPPING && metric == null;
  }

  public boolean appliesToType(String deviceType) {
    return deviceTypes.isEmpty() || deviceTypes.contains(deviceType);
  }

  /** The highest count any level needs: the most a counting window ever has to remember. */
  public int highestCount() {
    return levels.get(levels.size() - 1).count();
  }
}
