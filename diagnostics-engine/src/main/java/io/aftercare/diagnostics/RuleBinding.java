package io.aftercare.diagnostics;

import dev.cel.runtime.CelVariableResolver;
import io.aftercare.diagnostics.eval.RuleMonitor;
import io.aftercare.diagnostics.eval.RuleMonitors;
import io.aftercare.diagnostics.rules.Rule;
import io.aftercare.diagnostics.rules.RuleKind;
import io.aftercare.diagnostics.rules.RuleSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A rule set indexed for dispatch: which rules a metric, an event, a connection change or a tick
 * concerns. Rules are referred to by their position, so a device's monitors are a plain array.
 */
final class RuleBinding {
  private static final int[] NONE = new int[0];

  final RuleSet ruleSet;
  final Rule[] rules;
  final int[] eventRules;
  final int[] activityRules;
  final int[] connectivityRules;
  final int[] tickRules;
  private final Map<String, int[]> rulesByMetric;
  private final RuleMonitor[] sharedMonitors;

  RuleBinding(RuleSet ruleSet) {
    this.ruleSet = ruleSet;
    this.rules = ruleSet.rules().toArray(Rule[]::new);
    this.sharedMonitors = new RuleMonitor[rules.length];
    Map<String, List<Integer>> byMetric = new HashMap<>();
    List<Integer> events = new ArrayList<>();
    List<Integer> activity = new ArrayList<>();
    List<Integer> connectivity = new ArrayList<>();
    List<Integer> ticks = new ArrayList<>();
    for (int i = 0; i < rules.length; i++) {
      Rule rule = rules[i];
      RuleMonitor probe = RuleMonitors.create(rule);
      sharedMonitors[i] = probe.isShareable() ? probe : null;
      if (rule.metric() != null) {
        byMetric.computeIfAbsent(rule.metric(), m -> new ArrayList<>()).add(i);
      }
      if (rule.kind() == RuleKind.EVENT) {
        events.add(i);
      }
      if (rule.kind() == RuleKind.ABSENCE) {
        activity.add(i);
        connectivity.add(i);
      }
      if (rule.watchesConnectivity()) {
        connectivity.add(i);
      }
      if (rule.kind() == RuleKind.ABSENCE || rule.kind().isCounting()) {
        ticks.add(i);
      }
    }
    this.rulesByMetric = new HashMap<>();
    byMetric.forEach((metric, list) -> rulesByMetric.put(metric, toArray(list)));
    this.eventRules = toArray(events);
    this.activityRules = toArray(activity);
    this.connectivityRules = toArray(connectivity);
    this.tickRules = toArray(ticks);
  }

  int[] rulesFor(String metric) {
    return rulesByMetric.getOrDefault(metric, NONE);
  }

  Optional<Rule> rule(String id) {
    return ruleSet.rule(id);
  }

  /**
   * The monitors for one device under this binding; {@code null} where a rule does not apply.
   * Monitors of rules unchanged since {@code previous} are carried over, so a reload that touches
   * one rule does not forget every window.
   */
  RuleMonitor[] monitorsFor(
      DeviceProfile device,
      Map<String, String> attributes,
      RuleBinding previous,
      RuleMonitor[] previousMonitors) {
    Map<String, RuleMonitor> carried = new HashMap<>();
    if (previous != null) {
      for (int i = 0; i < previous.rules.length; i++) {
        if (previousMonitors[i] != null) {
          carried.put(previous.rules[i].id(), previousMonitors[i]);
        }
      }
    }
    CelVariableResolver deviceVariables =
        name -> "device".equals(name) ? Optional.of(attributes) : Optional.empty();
    RuleMonitor[] monitors = new RuleMonitor[rules.length];
    for (int i = 0; i < rules.length; i++) {
      Rule rule = rules[i];
      boolean applies =
          rule.appliesToType(device.type())
              && (rule.deviceCondition() == null || rule.deviceCondition().test(deviceVariables));
      if (!applies) {
        continue;
      }
      RuleMonitor old = carried.get(rule.id());
      if (old != null && old.rule().equals(rule)) {
        monitors[i] = old;
      } else {
        monitors[i] = sharedMonitors[i] != null ? sharedMonitors[i] : RuleMonitors.create(rule);
      }
    }
    return monitors;
  }

  private static int[] toArray(List<Integer> list) {
    return list.stream().mapToInt(Integer::intValue).toArray();
  }
}
