package io.aftercare.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * What of the benchmark's dataset a database already holds, in a small table of its own ({@code
 * bench_dataset}: part, progress, whether done), so that a re-run skips what is loaded and an
 * interrupted load resumes where its last transaction ended.
 */
final class BenchDataset {

  private BenchDataset() {}

  static void create(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS bench_dataset (part text PRIMARY KEY, progress text NOT NULL,"
              + " done boolean NOT NULL DEFAULT false, updated_at timestamptz NOT NULL DEFAULT"
              + " now())");
    }
  }

  static boolean done(Connection c, String part) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT done FROM bench_dataset WHERE part = ?")) {
      s.setString(1, part);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  static Optional<String> progress(Connection c, String part) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT progress FROM bench_dataset WHERE part = ?")) {
      s.setString(1, part);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  /** Records a part's progress, in the caller's transaction when there is one. */
  static void record(Connection c, String part, String progress, boolean done) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO bench_dataset (part, progress, done) VALUES (?, ?, ?) ON CONFLICT (part)"
                + " DO UPDATE SET progress = excluded.progress, done = excluded.done,"
                + " updated_at = now()")) {
      s.setString(1, part);
      s.setString(2, progress);
      s.setBoolean(3, done);
      s.executeUpdate();
    }
  }
}
