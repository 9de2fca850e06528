package io.aftercare.platform.notify;

import io.aftercare.bridge.OutboundAddressGuard;
import io.aftercare.platform.config.ConfigException;
import io.aftercare.platform.db.Jdbc;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notifications to staff (docs/notifications.md): routes and sends on a thread of its own (sending
 * blocks on the webhook and the SMTP server), and lists the recent ones for the console. With no
 * rules nothing runs.
 */
public final class Notifications implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Notifications.class);

  private final NotificationSettings settings;
  private final Jdbc jdbc;
  private final NotificationRouter router;
  private final NotificationSender sender;
  private final SmtpMail mail;
  private ScheduledExecutorService thread;

  public Notifications(NotificationSettings settings, Vertx vertx, Jdbc jdbc, Clock clock) {
    RuleCheck.check(settings.rules());
    this.settings = settings;
    this.jdbc = jdbc;
    Map<String, Channel> channels = new HashMap<>();
    boolean wantsSlack =
        settings.rules().values().stream().anyMatch(NotificationSettings.Rule::slack);
    boolean wantsEmail = settings.rules().values().stream().anyMatch(r -> !r.email().isEmpty());
    if (wantsSlack) {
      String url = settings.slack().webhookUrl();
      if (url == null || url.isBlank()) {
        throw new ConfigException(
            "notifications: a rule sends to Slack but notifications.slack.webhookUrl is empty",
            null);
      }
      channels.put(
          NotificationRouter.SLACK,
          new SlackWebhook(
              URI.create(url), new OutboundAddressGuard(settings.outboundAllowPrivate())));
    }
    if (wantsEmail) {
      if (settings.email().host() == null || settings.email().host().isBlank()) {
        throw new ConfigException(
            "notifications: a rule sends e-mail but notifications.email.host is empty", null);
      }
      this.mail = new SmtpMail(vertx, settings.email());
      channels.put(NotificationRouter.EMAIL, mail);
    } else {
      this.mail = null;
    }
    this.router = new NotificationRouter(settings, clock);
    this.sender = new NotificationSender(settings, channels, clock);
  }

  /** Starts the rounds; does nothing without rules. */
  public synchronized void start() {
    if (settings.rules().isEmpty()) {
      return;
    }
    jdbc.runNow(EventScanner::startCursors, true);
    thread =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread t = new Thread(runnable, "aftercare-notifications");
              t.setDaemon(true);
              return t;
            });
    long every = settings.pollInterval().toMillis();
    thread.scheduleWithFixedDelay(this::round, every, every, TimeUnit.MILLISECONDS);
  }

  /** Queues what the new events match, then sends what is pending. */
  private void round() {
    try {
      while (jdbc.runNow(router::route, true) > 0) {
        // Another batch may be waiting.
      }
      for (String[] destination : jdbc.runNow(NotificationQueue::pendingDestinations, false)) {
        jdbc.runNow(
            c -> {
              sender.sendPending(c, destination[0], destination[1]);
              return null;
            },
            true);
      }
    } catch (RuntimeException e) {
      LOG.warn("notification round failed; the next one retries", e);
    }
  }

  /** The newest notifications first, with their status; {@code status} null for all. */
  public Future<List<Notification>> recent(String status, int limit) {
    return jdbc.call(c -> NotificationQueue.recent(c, status, limit));
  }

  /** Lets the round under way finish (it marks what it sent), then stops. */
  @Override
  public synchronized void close() {
    if (thread != null) {
      thread.shutdown();
      try {
        if (!thread.awaitTermination(60, TimeUnit.SECONDS)) {
          LOG.warn("a notification round did not finish within 60 s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (mail != null) {
      mail.close();
    }
  }
}
