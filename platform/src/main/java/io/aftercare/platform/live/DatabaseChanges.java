package io.aftercare.platform.live;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on the {@code aftercare_live} channel, where the V76 triggers announce committed changes
 * to alarms, tickets, commands, staff and sessions, on one connection of its own and one thread of
 * its own, and hands each payload on. Because the database announces the change, a change made by
 * any process reaches the streams of every process.
 *
 * <p>When the connection drops it reconnects with a doubling back-off; what was announced meanwhile
 * is not replayed (a console refetches when its stream reconnects).
 */
public final class DatabaseChanges implements AutoCloseable {

  /** A connection of its own, outside the pool. */
  @FunctionalInterface
  public interface Connector {
    Connection open() throws SQLException;
  }

  static final String CHANNEL = "aftercare_live";

  private static final Logger LOG = LoggerFactory.getLogger(DatabaseChanges.class);

  /** How long one wait for notifications lasts: also how soon {@link #close()} is noticed. */
  private static final int POLL_MILLIS = 500;

  private static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final Connector connector;
  private final Consumer<String> payloads;
  private final Thread thread;
  private volatile boolean running = true;

  public DatabaseChanges(Connector connector, Consumer<String> payloads) {
    this.connector = connector;
    this.payloads = payloads;
    this.thread = new Thread(this::run, "aftercare-live-changes");
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  private void run() {
    Duration backoff = FIRST_BACKOFF;
    while (running) {
      try (Connection connection = connector.open()) {
        try (Statement listen = connection.createStatement()) {
          listen.execute("LISTEN " + CHANNEL);
        }
        backoff = FIRST_BACKOFF;
        LOG.debug("Listening for live changes on {}", CHANNEL);
        relay(connection.unwrap(PGConnection.class));
      } catch (SQLException | RuntimeException e) {
        if (!running) {
          return;
        }
        LOG.warn(
            "Live updates lost their database connection ({}); reconnecting in {} ms",
            e.getMessage(),
            backoff.toMillis());
        if (!sleep(backoff)) {
          return;
        }
        backoff =
            backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                ? MAX_BACKOFF
                : backoff.multipliedBy(2);
      }
    }
  }

  private void relay(PGConnection connection) throws SQLException {
    while (running) {
      PGNotification[] notifications = connection.getNotifications(POLL_MILLIS);
      if (notifications == null) {
        continue;
      }
      for (PGNotification notification : notifications) {
        try {
          payloads.accept(notification.getParameter());
        } catch (RuntimeException e) {
          LOG.error("Live change {} could not be handled", notification.getParameter(), e);
        }
      }
    }
  }

  private static boolean sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(Duration.ofSeconds(5).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
