package io.aftercare.bridge;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Runs JDBC work in one transaction on the calling thread (never an event loop). */
final class Tx {

  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /** The SQLSTATE of the triggers that keep archived cases unchanged (V66). */
  private static final String ARCHIVED_STATE = "AC409";

  private final DataSource dataSource;
  private final SlaDeadlines deadlines;
  private final KeptOutcomes outcomes;
  private final SealedText sealed;

  /**
   * @param deadlines recomputes, before each commit, the stored SLA deadlines of the tickets whose
   *     timeline or status the transaction changed
   * @param outcomes recomputes, before each commit, the kept KPI outcomes of the tickets whose
   *     timeline or columns the transaction changed
   * @param sealed the data key the stores seal and open customer references with ({@link DeskKey})
   */
  Tx(DataSource dataSource, SlaDeadlines deadlines, KeptOutcomes outcomes, SealedText sealed) {
    this.dataSource = dataSource;
    this.deadlines = deadlines;
    this.outcomes = outcomes;
    this.sealed = sealed;
  }

  <T> T run(Work<T> work) {
    DeskKey.Scope key = DeskKey.bind(sealed);
    try {
      return runBound(work);
    } finally {
      key.close();
    }
  }

  private <T> T runBound(Work<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        deadlines.refreshStale(connection);
        outcomes.refreshStale(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    } catch (SQLException e) {
      if (ARCHIVED_STATE.equals(e.getSQLState())) {
        // A write that reached an archived case: the database's triggers refused it.
        throw new BridgeException(BridgeException.Kind.CONFLICT, firstLine(e.getMessage()));
      }
      throw new DatabaseException(e);
    }
  }

  /** The server's message without the driver's "ERROR: " prefix and the trigger's context. */
  private static String firstLine(String message) {
    String line = message.lines().findFirst().orElse("");
    return line.startsWith("ERROR: ") ? line.substring("ERROR: ".length()) : line;
  }

  /** A database failure, with the SQL state kept so that callers can tell conflicts apart. */
  static final class DatabaseException extends RuntimeException {
    DatabaseException(SQLException cause) {
      super("database error: " + cause.getMessage(), cause);
    }

    boolean isUniqueViolation() {
      return "23505".equals(((SQLException) getCause()).getSQLState());
    }
  }
}
