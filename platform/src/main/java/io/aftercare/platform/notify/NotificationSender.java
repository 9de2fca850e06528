package io.aftercare.platform.notify;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what is pending, one destination (channel and target) per transaction: the rows stay locked
 * while they are sent, so a second instance skips them, and are marked sent in the same
 * transaction. More than {@code digestThreshold} pending for one destination go as one digest; a
 * channel that sent {@code rateLimit} messages within {@code rateWindow} sends nothing more until
 * the window moves on (what waits then goes out as a digest).
 */
final class NotificationSender {

  private static final Logger LOG = LoggerFactory.getLogger(NotificationSender.class);
  private static final String DIGEST = "digest";

  private final NotificationSettings settings;
  private final Map<String, Channel> channels;
  private final Clock clock;

  NotificationSender(NotificationSettings settings, Map<String, Channel> channels, Clock clock) {
    this.settings = settings;
    this.channels = channels;
    this.clock = clock;
  }

  void sendPending(Connection c, String channelName, String target) throws SQLException {
    Channel channel = channels.get(channelName);
    List<Notification> pending = NotificationQueue.lockPending(c, channelName, target);
    if (pending.isEmpty() || channel == null) {
      return;
    }
    Instant now = clock.instant();
    int budget =
        settings.rateLimit()
            - NotificationQueue.sentSince(c, channelName, now.minus(settings.rateWindow()));
    if (budget <= 0) {
      return;
    }
    if (pending.size() > settings.digestThreshold()) {
      sendDigest(c, channel, channelName, target, pending, now);
      return;
    }
    for (Notification queued : pending.subList(0, Math.min(budget, pending.size()))) {
      try {
        channel.send(target, queued.title(), queued.body());
        NotificationQueue.markSent(c, queued.id(), now);
      } catch (Exception e) {
        failed(c, channelName, List.of(queued), e);
        if (!(e instanceof Channel.Refused)) {
          // The receiver is down or slow: the rest waits for the next round rather than each
          // waiting out its own time-out now.
          return;
        }
      }
    }
  }

  private void sendDigest(
      Connection c,
      Channel channel,
      String channelName,
      String target,
      List<Notification> members,
      Instant now)
      throws SQLException {
    String title = members.size() + " notifications";
    String body =
        title + ":\n" + members.stream().map(Notification::title).collect(Collectors.joining("\n"));
    try {
      channel.send(target, title, body);
    } catch (Exception e) {
      failed(c, channelName, members, e);
      return;
    }
    long digestId =
        NotificationQueue.insert(
            c, DIGEST, channelName, target, DIGEST, DIGEST, null, title, body, now, "pending");
    NotificationQueue.markSent(c, digestId, now);
    NotificationQueue.markDigested(c, members, digestId, now);
  }

  private static void failed(Connection c, String channelName, List<Notification> rows, Exception e)
      throws SQLException {
    boolean permanent = e instanceof Channel.Refused;
    String error = e.getClass().getSimpleName() + ": " + e.getMessage();
    LOG.warn(
        "{} notification not sent ({}): {}",
        channelName,
        permanent ? "refused" : "will retry",
        error);
    for (Notification row : rows) {
      NotificationQueue.markFailed(c, row.id(), error, permanent);
    }
  }
}
