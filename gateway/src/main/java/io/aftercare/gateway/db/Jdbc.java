package io.aftercare.gateway.db;

import io.aftercare.gateway.error.Failure;
import io.aftercare.gateway.error.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs JDBC work on Vert.x worker threads and hands the result back as a {@link Future} on the
 * caller's context, so that handlers never block an event loop on the database.
 */
public final class Jdbc {

  private static final Logger LOG = LoggerFactory.getLogger(Jdbc.class);

  /** Work done with a connection. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private final Vertx vertx;
  private final DataSource dataSource;

  /** Calls handed to a worker and not yet finished; shutdown waits for them. */
  private final AtomicInteger inFlight = new AtomicInteger();

  public Jdbc(Vertx vertx, DataSource dataSource) {
    this.vertx = vertx;
    this.dataSource = dataSource;
  }

  /** Runs {@code work} with auto-commit on. */
  public <T> Future<T> call(Work<T> work) {
    return onWorker(work, false);
  }

  /** Runs {@code work} in one transaction, committed when it returns, rolled back if it throws. */
  public <T> Future<T> transaction(Work<T> work) {
    return onWorker(work, true);
  }

  private <T> Future<T> onWorker(Work<T> work, boolean transactional) {
    inFlight.incrementAndGet();
    return vertx
        .executeBlocking(() -> runNow(work, transactional), false)
        .andThen(
            done -> {
              if (inFlight.decrementAndGet() == 0) {
                synchronized (inFlight) {
                  inFlight.notifyAll();
                }
              }
            });
  }

  /**
   * Waits up to {@code timeout} for the calls already started to finish and hand back their
   * results, so that Vert.x is not closed under them (their results would then have no event loop
   * to go to). Calls started meanwhile are waited for too.
   */
  public void awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (inFlight) {
      while (inFlight.get() > 0) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          LOG.warn("{} database calls still running after {}; closing anyway", inFlight, timeout);
          return;
        }
        inFlight.wait(left);
      }
    }
  }

  /** Runs {@code work} on the calling thread, which must not be an event loop. */
  public <T> T runNow(Work<T> work, boolean transactional) {
    try (Connection connection = dataSource.getConnection()) {
      if (!transactional) {
        return work.run(connection);
      }
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw translate(e);
    }
  }

  /** Maps a database error to the failure the caller should see. */
  public static ServiceException translate(SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    if (e instanceof SQLTransientConnectionException
        || state.startsWith("08")
        || state.startsWith("57")
        || state.equals("53300")) {
      return new ServiceException(Failure.STORE_UNAVAILABLE, "database unavailable", e);
    }
    if (state.equals("23505")) {
      return new ServiceException(Failure.CONFLICT, "already exists", e);
    }
    return new ServiceException(Failure.INTERNAL, "database error", e);
  }
}
