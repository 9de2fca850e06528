package io.aftercare.bridge;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Extra work the caller wants committed with a ticket change, e.g. the platform's audit entry, so
 * that there is no change without its record.
 */
@FunctionalInterface
public interface InTransaction {

  InTransaction NOTHING = connection -> {};

  void run(Connection connection) throws SQLException;
}
