package io.aftercare.platform.playbook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.diagnostics.rules.Remedy;
import io.aftercare.platform.db.JsonColumn;
import io.aftercare.platform.db.TimestampColumn;
import io.aftercare.platform.staff.Role;
import io.aftercare.platform.staff.StaffPrincipal;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The SQL of {@code playbook_runs} and {@code playbook_run_events}; each call in the caller's
 * transaction.
 */
final class PlaybookRunStore {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<Remedy>> STEPS = new TypeReference<>() {};

  private PlaybookRunStore() {}

  /** A run's row as the runner needs it. */
  record Row(
      long id,
      String deviceId,
      String playbook,
      List<Remedy> steps,
      StaffPrincipal startedBy,
      String startedFrom,
      PlaybookRunState state,
      int step,
      String commandId,
      Instant verifyUntil) {

    /** The run at another state, step or command; no verification under way. */
    Row at(PlaybookRunState newState, int newStep, String newCommandId) {
      return new Row(
          id,
          deviceId,
          playbook,
          steps,
          startedBy,
          startedFrom,
          newState,
          newStep,
          newCommandId,
          null);
    }

    /** The step's command succeeded: its expected outcome is checked at {@code deadline}. */
    Row verifyingUntil(Instant deadline) {
      return new Row(
          id, deviceId, playbook, steps, startedBy, startedFrom, state, step, commandId, deadline);
    }
  }

  static long insert(
      Connection c,
      String deviceId,
      String playbook,
      List<Remedy> steps,
      StaffPrincipal by,
      String from,
      Instant now)
      throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO playbook_runs (device_id, playbook, steps, started_by, started_by_role,"
                + " started_from, started_at, state) VALUES (?, ?, ?::jsonb, ?, ?, ?, ?, 'running')",
            Statement.RETURN_GENERATED_KEYS)) {
      insert.setString(1, deviceId);
      insert.setString(2, playbook);
      insert.setString(3, json(steps));
      insert.setString(4, by.name());
      insert.setString(5, by.role().name());
      insert.setString(6, from);
      insert.setTimestamp(7, Timestamp.from(now));
      insert.executeUpdate();
      try (ResultSet keys = insert.getGeneratedKeys()) {
        keys.next();
        return keys.getLong(1);
      }
    }
  }

  /** The run, locked until the caller's transaction ends. */
  static Optional<Row> lock(Connection c, long runId) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT id, device_id, playbook, steps::text AS steps, started_by, started_by_role,"
                + " started_from, state, step, command_id, verify_until FROM playbook_runs"
                + " WHERE id = ?"
                + " FOR UPDATE")) {
      select.setLong(1, runId);
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new Row(
                rs.getLong("id"),
                rs.getString("device_id"),
                rs.getString("playbook"),
                steps(rs.getString("steps")),
                new StaffPrincipal(
                    rs.getString("started_by"), Role.valueOf(rs.getString("started_by_role"))),
                rs.getString("started_from"),
                PlaybookRunState.fromWireName(rs.getString("state")),
                rs.getInt("step"),
                rs.getString("command_id"),
                TimestampColumn.read(rs, "verify_until")));
      }
    }
  }

  static void update(Connection c, Row run, Instant now) throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE playbook_runs SET state = ?, step = ?, command_id = ?, ended_at = ?,"
                + " verify_until = ? WHERE id = ?")) {
      update.setString(1, run.state().wireName());
      update.setInt(2, run.step());
      update.setString(3, run.commandId());
      update.setTimestamp(4, run.state() == PlaybookRunState.RUNNING ? null : Timestamp.from(now));
      update.setTimestamp(5, run.verifyUntil() == null ? null : Timestamp.from(run.verifyUntil()));
      update.setLong(6, run.id());
      update.executeUpdate();
    }
  }

  static void event(
      Connection c,
      long runId,
      Remedy step,
      String commandId,
      String outcome,
      Instant at,
      JsonNode detail)
      throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO playbook_run_events (run_id, step, command, command_id, outcome, at,"
                + " detail) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb)")) {
      insert.setLong(1, runId);
      insert.setString(2, step.step().name());
      insert.setString(3, step.command());
      insert.setString(4, commandId);
      insert.setString(5, outcome);
      insert.setTimestamp(6, Timestamp.from(at));
      insert.setString(7, detail.toString());
      insert.executeUpdate();
    }
  }

  /** The running runs waiting on {@code commandId}'s result (not verifying its outcome). */
  static List<Long> waitingOn(Connection c, String commandId) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT id FROM playbook_runs WHERE state = 'running' AND command_id = ?"
                + " AND verify_until IS NULL")) {
      select.setString(1, commandId);
      return ids(select);
    }
  }

  /** Running runs whose command has ended: its result was committed but not acted on. */
  static List<Long> waitingOnEndedCommands(Connection c) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT r.id FROM playbook_runs r JOIN commands cmd ON cmd.id = r.command_id"
                + " WHERE r.state = 'running' AND r.verify_until IS NULL"
                + " AND cmd.status IN ('succeeded', 'failed', 'timed_out', 'expired', 'rejected')"
                + " ORDER BY r.id")) {
      return ids(select);
    }
  }

  /** Running runs whose step's expected outcome is due to be checked by {@code now}. */
  static List<Long> verificationsDue(Connection c, Instant now) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT id FROM playbook_runs WHERE state = 'running' AND verify_until <= ?"
                + " ORDER BY verify_until")) {
      select.setTimestamp(1, Timestamp.from(now));
      return ids(select);
    }
  }

  static Optional<PlaybookRun> find(Connection c, String deviceId, long runId) throws SQLException {
    List<PlaybookRun> runs = select(c, "device_id = ? AND id = ?", deviceId, runId, 1);
    return runs.stream().findFirst();
  }

  static List<PlaybookRun> ofDevice(Connection c, String deviceId, int limit) throws SQLException {
    return select(c, "device_id = ? AND id <= ?", deviceId, Long.MAX_VALUE, limit);
  }

  private static List<PlaybookRun> select(
      Connection c, String where, String deviceId, long id, int limit) throws SQLException {
    List<PlaybookRun> runs = new ArrayList<>();
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT r.id, r.device_id, r.playbook, r.steps::text AS steps, r.started_by,"
                + " r.started_at, r.state, r.step, r.ended_at,"
                + " COALESCE((SELECT json_agg(json_build_object('step', e.step, 'command',"
                + " e.command, 'commandId', e.command_id, 'outcome', e.outcome, 'atMicros',"
                + " (extract(epoch FROM e.at) * 1000000)::bigint, 'detail', e.detail)"
                + " ORDER BY e.id) FROM playbook_run_events e WHERE e.run_id = r.id), '[]')::text"
                + " AS events FROM playbook_runs r WHERE "
                + where
                + " ORDER BY r.id DESC LIMIT ?")) {
      select.setString(1, deviceId);
      select.setLong(2, id);
      select.setInt(3, limit);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          List<String> names = new ArrayList<>();
          for (Remedy step : steps(rs.getString("steps"))) {
            names.add(step.step().name());
          }
          runs.add(
              new PlaybookRun(
                  rs.getLong("id"),
                  rs.getString("device_id"),
                  rs.getString("playbook"),
                  PlaybookRunState.fromWireName(rs.getString("state")),
                  names,
                  names.get(Math.min(rs.getInt("step"), names.size() - 1)),
                  rs.getString("started_by"),
                  TimestampColumn.read(rs, "started_at"),
                  TimestampColumn.read(rs, "ended_at"),
                  events(rs.getString("events"))));
        }
      }
    }
    return runs;
  }

  private static List<PlaybookRun.Event> events(String json) {
    List<PlaybookRun.Event> events = new ArrayList<>();
    for (JsonNode event : JsonColumn.read(json)) {
      events.add(
          new PlaybookRun.Event(
              event.path("step").asText(),
              event.path("command").asText(),
              event.path("commandId").isNull() ? null : event.path("commandId").asText(),
              event.path("outcome").asText(),
              Instant.EPOCH.plus(event.path("atMicros").asLong(), ChronoUnit.MICROS),
              event.path("detail")));
    }
    return events;
  }

  private static List<Long> ids(PreparedStatement select) throws SQLException {
    List<Long> ids = new ArrayList<>();
    try (ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        ids.add(rs.getLong(1));
      }
    }
    return ids;
  }

  private static List<Remedy> steps(String json) {
    try {
      return JSON.readValue(json, STEPS);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("stored playbook steps unreadable", e);
    }
  }

  private static String json(List<Remedy> steps) {
    try {
      return JSON.writeValueAsString(steps);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
