package io.aftercare.platform.bulk;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.platform.db.JsonColumn;
import io.aftercare.platform.db.TimestampColumn;
import io.aftercare.platform.staff.Role;
import io.aftercare.platform.staff.StaffPrincipal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** SQL of bulk commands and their targets, always in the caller's transaction. */
final class BulkCommandStore {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, String>> FILTER = new TypeReference<>() {};

  /** A batch as stored at submission. */
  record NewBatch(
      String id,
      String command,
      String paramsJson,
      Long ttlSeconds,
      Map<String, String> filter,
      StaffPrincipal by,
      String from,
      Instant at) {}

  /** One target claimed for dispatch, with what its command needs. */
  record Claim(
      String batchId,
      String deviceId,
      String command,
      String paramsJson,
      Long ttlSeconds,
      StaffPrincipal by,
      String from) {}

  /** A member's batches still dispatching, and how many of their targets are left. */
  record Running(int batches, long targetsLeft) {}

  private static final String BATCH_COLUMNS =
      "SELECT b.id, b.seq, b.command, b.params::text AS params, b.filter::text AS filter,"
          + " b.total, b.created_by, b.created_at, b.finished_at,"
          + " (SELECT count(*) FROM bulk_command_targets t"
          + "   WHERE t.bulk_id = b.id AND t.dispatched_at IS NOT NULL) AS submitted"
          + " FROM bulk_commands b";

  private BulkCommandStore() {}

  /**
   * Serialises the submissions of one member (until the transaction ends), so that the limit of
   * running batches holds when two arrive at once.
   */
  static void lockMember(Connection c, String member) throws SQLException {
    try (PreparedStatement lock =
        c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('bulk_commands:' || ?))")) {
      lock.setString(1, member);
      lock.executeQuery().close();
    }
  }

  static Running running(Connection c, String member) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT count(DISTINCT b.id) AS batches, count(t.device_id) AS targets_left"
                + " FROM bulk_commands b LEFT JOIN bulk_command_targets t"
                + "   ON t.bulk_id = b.id AND t.dispatched_at IS NULL"
                + " WHERE b.created_by = ? AND b.finished_at IS NULL")) {
      select.setString(1, member);
      try (ResultSet rs = select.executeQuery()) {
        rs.next();
        return new Running(rs.getInt("batches"), rs.getLong("targets_left"));
      }
    }
  }

  static void insert(Connection c, NewBatch batch, List<String> deviceIds) throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO bulk_commands (id, command, params, ttl_seconds, filter, total,"
                + " created_by, created_by_role, requested_from, created_at)"
                + " VALUES (?, ?, ?::jsonb, ?, ?::jsonb, ?, ?, ?, ?, ?)")) {
      insert.setString(1, batch.id());
      insert.setString(2, batch.command());
      insert.setString(3, batch.paramsJson());
      insert.setObject(4, batch.ttlSeconds(), Types.BIGINT);
      insert.setString(5, json(batch.filter()));
      insert.setInt(6, deviceIds.size());
      insert.setString(7, batch.by().name());
      insert.setString(8, batch.by().role().wireName());
      insert.setString(9, batch.from());
      insert.setTimestamp(10, Timestamp.from(batch.at()));
      insert.executeUpdate();
    }
    try (PreparedStatement insert =
        c.prepareStatement("INSERT INTO bulk_command_targets (bulk_id, device_id) VALUES (?, ?)")) {
      for (String deviceId : deviceIds) {
        insert.setString(1, batch.id());
        insert.setString(2, deviceId);
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  /**
   * The next undispatched target, oldest batch first, locked until the transaction ends; targets
   * another dispatcher holds are skipped, so two never claim the same one.
   */
  static Optional<Claim> claimNext(Connection c) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT t.bulk_id, t.device_id, b.command, b.params::text AS params, b.ttl_seconds,"
                + " b.created_by, b.created_by_role, b.requested_from"
                + " FROM bulk_command_targets t JOIN bulk_commands b ON b.id = t.bulk_id"
                + " WHERE t.dispatched_at IS NULL"
                + " ORDER BY b.seq, t.device_id LIMIT 1 FOR UPDATE OF t SKIP LOCKED")) {
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new Claim(
                rs.getString("bulk_id"),
                rs.getString("device_id"),
                rs.getString("command"),
                rs.getString("params"),
                rs.getObject("ttl_seconds", Long.class),
                new StaffPrincipal(
                    rs.getString("created_by"),
                    Role.fromWireName(rs.getString("created_by_role")).orElseThrow()),
                rs.getString("requested_from")));
      }
    }
  }

  /**
   * Records the claimed target's command, or why it was refused; the batch is finished with its
   * last target.
   */
  static void dispatched(Connection c, Claim claim, String commandId, String error, Instant at)
      throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE bulk_command_targets SET command_id = ?, error = ?, dispatched_at = ?"
                + " WHERE bulk_id = ? AND device_id = ?")) {
      update.setString(1, commandId);
      update.setString(2, error);
      update.setTimestamp(3, Timestamp.from(at));
      update.setString(4, claim.batchId());
      update.setString(5, claim.deviceId());
      update.executeUpdate();
    }
    try (PreparedStatement finish =
        c.prepareStatement(
            "UPDATE bulk_commands SET finished_at = ? WHERE id = ? AND finished_at IS NULL"
                + " AND NOT EXISTS (SELECT 1 FROM bulk_command_targets t"
                + "   WHERE t.bulk_id = ? AND t.dispatched_at IS NULL)")) {
      finish.setTimestamp(1, Timestamp.from(at));
      finish.setString(2, claim.batchId());
      finish.setString(3, claim.batchId());
      finish.executeUpdate();
    }
  }

  static Optional<BulkCommand> find(Connection c, String id) throws SQLException {
    try (PreparedStatement select = c.prepareStatement(BATCH_COLUMNS + " WHERE b.id = ?")) {
      select.setString(1, id);
      List<BulkCommand> found = batches(select);
      return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }
  }

  /** Newest first, submitted before the batch numbered {@code beforeSeq} (null: the newest). */
  static List<BulkCommands.Listed> list(Connection c, Long beforeSeq, int limit)
      throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            BATCH_COLUMNS
                + " WHERE (?::bigint IS NULL OR b.seq < ?) ORDER BY b.seq DESC LIMIT ?")) {
      select.setObject(1, beforeSeq, Types.BIGINT);
      select.setObject(2, beforeSeq, Types.BIGINT);
      select.setInt(3, limit);
      List<BulkCommands.Listed> rows = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          rows.add(new BulkCommands.Listed(rs.getLong("seq"), batch(rs)));
        }
      }
      return rows;
    }
  }

  /** Each target by device id, with its command's current status. */
  static List<BulkCommand.TargetResult> results(Connection c, String id) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT t.device_id, t.command_id, t.error, t.dispatched_at IS NOT NULL AS dispatched,"
                + " cmd.status FROM bulk_command_targets t"
                + " LEFT JOIN commands cmd ON cmd.id = t.command_id"
                + " WHERE t.bulk_id = ? ORDER BY t.device_id")) {
      select.setString(1, id);
      List<BulkCommand.TargetResult> results = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          String status;
          if (!rs.getBoolean("dispatched")) {
            status = BulkCommand.PENDING;
          } else if (rs.getString("error") != null) {
            status = BulkCommand.REFUSED;
          } else {
            status = rs.getString("status");
          }
          results.add(
              new BulkCommand.TargetResult(
                  rs.getString("device_id"),
                  rs.getString("command_id"),
                  status,
                  rs.getString("error")));
        }
      }
      return results;
    }
  }

  private static List<BulkCommand> batches(PreparedStatement select) throws SQLException {
    List<BulkCommand> batches = new ArrayList<>();
    try (ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        batches.add(batch(rs));
      }
    }
    return batches;
  }

  private static BulkCommand batch(ResultSet rs) throws SQLException {
    Instant finishedAt = TimestampColumn.read(rs, "finished_at");
    return new BulkCommand(
        rs.getString("id"),
        finishedAt == null ? BulkCommand.DISPATCHING : BulkCommand.DONE,
        rs.getInt("total"),
        rs.getInt("submitted"),
        rs.getString("command"),
        JsonColumn.read(rs.getString("params")),
        filter(rs.getString("filter")),
        rs.getString("created_by"),
        TimestampColumn.read(rs, "created_at"),
        finishedAt,
        null);
  }

  private static Map<String, String> filter(String json) {
    try {
      return JSON.readValue(json, FILTER);
    } catch (IOException e) {
      throw new UncheckedIOException("stored bulk filter unreadable", e);
    }
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
