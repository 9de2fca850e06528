package io.aftercare.platform.db;

import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.aftercare.platform.worker.WorkerCalls;
import io.vertx.core.Future;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import javax.sql.DataSource;

/**
 * Runs JDBC work on worker threads ({@link WorkerCalls}) and hands the result back as a {@link
 * Future} on the caller's context, so that handlers never block an event loop on the database.
 */
public final class Jdbc {

  /** Work done with a connection. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private final WorkerCalls workers;
  private final DataSource dataSource;

  public Jdbc(WorkerCalls workers, DataSource dataSource) {
    this.workers = workers;
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
    return workers.run(() -> runNow(work, transactional));
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
        rollBackAfter(connection, e);
        throw e;
      }
    } catch (SQLException e) {
      throw translate(e);
    }
  }

  /**
   * Rolls back after {@code failure}. When the connection is already gone (the database went away),
   * the rollback fails too; the first error is the one that says why, so it is kept.
   */
  private static void rollBackAfter(Connection connection, Exception failure) {
    try {
      connection.rollback();
    } catch (SQLException rollbackFailure) {
      failure.addSuppressed(rollbackFailure);
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
