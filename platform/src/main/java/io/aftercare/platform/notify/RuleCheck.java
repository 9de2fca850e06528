package io.aftercare.platform.notify;

import io.aftercare.bridge.Category;
import io.aftercare.diagnostics.rules.Severity;
import io.aftercare.platform.config.ConfigException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Refuses rules that could never match or send, naming the key: a misspelt severity would otherwise
 * silently notify nobody.
 */
final class RuleCheck {

  private static final Set<String> ALARM_EVENTS = Set.of("alarm.raised", "alarm.escalated");
  private static final String TICKET_EVENTS = "ticket.";
  private static final Set<String> SEVERITIES =
      Arrays.stream(Severity.values()).map(Severity::wireName).collect(Collectors.toSet());
  private static final Set<String> CATEGORIES =
      Arrays.stream(Category.values()).map(Category::wireName).collect(Collectors.toSet());

  private RuleCheck() {}

  static void check(Map<String, NotificationSettings.Rule> rules) {
    rules.forEach(
        (name, rule) -> {
          String prefix = "notifications.rules." + name + ".";
          for (String event : rule.events()) {
            if (!ALARM_EVENTS.contains(event) && !event.startsWith(TICKET_EVENTS)) {
              throw invalid(
                  prefix + "events",
                  event,
                  "alarm.raised, alarm.escalated or a ticket event such as ticket.opened");
            }
          }
          within(prefix + "severities", rule.severities(), SEVERITIES);
          within(prefix + "categories", rule.categories(), CATEGORIES);
          if (!rule.slack() && rule.email().isEmpty()) {
            throw new ConfigException(
                prefix + "slack/email: the rule sends nowhere (set slack: true or email)", null);
          }
        });
  }

  private static void within(String key, List<String> values, Set<String> allowed) {
    for (String value : values) {
      if (!allowed.contains(value)) {
        throw invalid(key, value, "one of " + allowed.stream().sorted().toList());
      }
    }
  }

  private static ConfigException invalid(String key, String value, String expected) {
    return new ConfigException(key + ": '" + value + "' is not " + expected, null);
  }
}
