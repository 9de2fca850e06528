package io.aftercare.platform.audit;

import io.aftercare.platform.db.Jdbc;
import io.vertx.core.Future;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The append-only audit log of privileged staff actions. Actions that change state write their
 * entry in the same transaction as the change ({@link #append(Connection, AuditEntry)}), so there
 * is no change without its entry; refusals are written on their own ({@link #record}).
 */
public final class AuditLog {

  private final Jdbc jdbc;

  public AuditLog(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** Writes an entry inside the caller's transaction. */
  public static void append(Connection connection, AuditEntry entry) throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO audit_log (actor, action, target, outcome, remote_address, detail)"
                + " VALUES (?, ?, ?, ?, ?, ?::jsonb)")) {
      insert.setString(1, entry.actor());
      insert.setString(2, entry.action());
      insert.setString(3, entry.target());
      insert.setString(4, entry.outcome().wireName());
      insert.setString(5, entry.remoteAddress());
      insert.setString(6, entry.detailJson());
      insert.executeUpdate();
    }
  }

  /** Writes an entry on its own, e.g. a refused request. */
  public Future<Void> record(AuditEntry entry) {
    return jdbc.call(
        connection -> {
          append(connection, entry);
          return null;
        });
  }

  /**
   * Runs {@code decide} in a transaction and appends the entry it returns, if any: for an entry
   * that depends on what the database holds (the reading of a device's data is sensitive by the
   * device's type).
   */
  public Future<Void> recordIf(Jdbc.Work<Optional<AuditEntry>> decide) {
    return jdbc.transaction(
        connection -> {
          Optional<AuditEntry> entry = decide.run(connection);
          if (entry.isPresent()) {
            append(connection, entry.get());
          }
          return null;
        });
  }

  /** Walks the hash chain in the database and reports its first broken link, if any. */
  public Future<AuditChainReport> verify() {
    return jdbc.call(
        connection -> {
          try (PreparedStatement verify =
                  connection.prepareStatement(
                      "SELECT checked, broken_id, broken_seq, reason FROM audit_log_verify()");
              ResultSet rs = verify.executeQuery()) {
            rs.next();
            String reason = rs.getString("reason");
            return new AuditChainReport(
                rs.getLong("checked"),
                reason == null,
                rs.getObject("broken_id", Long.class),
                rs.getObject("broken_seq", Long.class),
                reason);
          }
        });
  }

  /** A page of entries, newest first, filtered by actor, action, target and time. */
  public Future<List<AuditEntry>> query(AuditQuery query) {
    return jdbc.call(
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT id, ts, actor, action, target, outcome, remote_address, detail::text AS detail"
                      + " FROM audit_log"
                      + " WHERE (?::text IS NULL OR actor = ?)"
                      + " AND (?::text IS NULL OR action = ?)"
                      + " AND (?::text IS NULL OR target = ?)"
                      + " AND (?::timestamptz IS NULL OR ts >= ?)"
                      + " AND (?::timestamptz IS NULL OR ts < ?)"
                      + " AND (?::bigint IS NULL OR id < ?)"
                      + " ORDER BY id DESC LIMIT ?")) {
            int i = 1;
            for (String value : new String[] {query.actor(), query.action(), query.target()}) {
              select.setString(i++, value);
              select.setString(i++, value);
            }
            for (Instant time : new Instant[] {query.from(), query.to()}) {
              Timestamp ts = time == null ? null : Timestamp.from(time);
              select.setTimestamp(i++, ts);
              select.setTimestamp(i++, ts);
            }
            select.setObject(i++, query.beforeId(), java.sql.Types.BIGINT);
            select.setObject(i++, query.beforeId(), java.sql.Types.BIGINT);
            select.setInt(i, query.limit());
            List<AuditEntry> entries = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
              while (rs.next()) {
                entries.add(
                    new AuditEntry(
                        rs.getLong("id"),
                        rs.getTimestamp("ts").toInstant(),
                        rs.getString("actor"),
                        rs.getString("action"),
                        rs.getString("target"),
                        AuditEntry.Outcome.valueOf(
                            rs.getString("outcome").toUpperCase(java.util.Locale.ROOT)),
                        rs.getString("remote_address"),
                        rs.getString("detail")));
              }
            }
            return entries;
          }
        });
  }
}
