package io.aftercare.platform.notify;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * Matches new alarm and ticket events against the rules and queues a notification per rule and
 * channel, in the transaction that marks the events read: a crash queues all of them or none.
 */
final class NotificationRouter {

  static final String SLACK = "slack";
  static final String EMAIL = "email";
  static final String WEBHOOK_TARGET = "webhook";

  private final NotificationSettings settings;
  private final Clock clock;

  NotificationRouter(NotificationSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  /** Returns how many events were read. */
  int route(Connection c) throws SQLException {
    Instant now = clock.instant();
    var events = EventScanner.next(c);
    for (NotificationEvent event : events) {
      for (Map.Entry<String, NotificationSettings.Rule> named : settings.rules().entrySet()) {
        NotificationSettings.Rule rule = named.getValue();
        if (!rule.matches(event)) {
          continue;
        }
        if (rule.slack()) {
          NotificationQueue.enqueue(
              c, named.getKey(), SLACK, WEBHOOK_TARGET, event, now, settings.dedupeWindow());
        }
        if (!rule.email().isEmpty()) {
          NotificationQueue.enqueue(
              c,
              named.getKey(),
              EMAIL,
              String.join(",", rule.email()),
              event,
              now,
              settings.dedupeWindow());
        }
      }
    }
    return events.size();
  }
}
