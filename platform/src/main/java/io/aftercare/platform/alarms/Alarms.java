package io.aftercare.platform.alarms;

import io.aftercare.platform.audit.AuditEntry;
import io.aftercare.platform.audit.AuditLog;
import io.aftercare.platform.db.Jdbc;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.aftercare.platform.staff.StaffDirectory;
import io.aftercare.platform.staff.StaffPrincipal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Alarms for the staff API: reading them, acknowledging them through the engine, and the queue's
 * own bookkeeping (assignee, snooze), each change audited in its transaction.
 */
public final class Alarms {

  private final Jdbc jdbc;
  private final DiagnosticsRunner runner;

  public Alarms(Jdbc jdbc, DiagnosticsRunner runner) {
    this.jdbc = jdbc;
    this.runner = runner;
  }

  /**
   * Newest first, snoozed ones included; {@code status} is active, acknowledged, cleared, or {@code
   * open} for both open ones.
   */
  public Future<List<AlarmView>> list(
      String status, String deviceId, String severity, String ruleId, int limit) {
    return list(
        new AlarmListQuery(
            status,
            deviceId,
            severity,
            ruleId,
            null,
            null,
            null,
            null,
            Instant.now(),
            null,
            limit));
  }

  /** A page of the alarm queue, newest first. */
  public Future<List<AlarmView>> list(AlarmListQuery query) {
    return jdbc.call(c -> AlarmViews.list(c, query));
  }

  /** Home alarms, newest first, each with the device alarms it explains; status may be null. */
  public Future<List<HomeAlarmView>> homeAlarms(String status, int limit) {
    return jdbc.call(c -> HomeAlarmViews.list(c, status, limit));
  }

  public Future<Optional<AlarmView>> find(long id) {
    return jdbc.call(c -> AlarmViews.view(c, id));
  }

  /** Acknowledges an active alarm; 404 when there is none, 409 when it is not active. */
  public Future<AlarmView> acknowledge(long id, StaffPrincipal by, String from, String note) {
    return find(id)
        .compose(
            alarm -> {
              if (alarm.isEmpty()) {
                return Future.failedFuture(
                    new ServiceException(Failure.NOT_FOUND, "no such alarm"));
              }
              if (!alarm.get().status().equals("active")) {
                return Future.failedFuture(
                    new ServiceException(Failure.CONFLICT, "the alarm is " + alarm.get().status()));
              }
              return Future.fromCompletionStage(
                  runner.acknowledge(List.of(id), by, from, note, false), Vertx.currentContext());
            })
        .compose(
            outcomes ->
                outcomes.get(id) == AckOutcome.ACKNOWLEDGED
                    ? find(id)
                    : Future.failedFuture(
                        new ServiceException(Failure.CONFLICT, "the alarm is not active")))
        .map(Optional::orElseThrow);
  }

  /**
   * Acknowledges each of {@code ids} that is active, in one transaction audited as one entry; the
   * outcome of each, in the order given.
   */
  public Future<Map<Long, AckOutcome>> acknowledgeAll(
      List<Long> ids, StaffPrincipal by, String from, String note) {
    return Future.fromCompletionStage(
        runner.acknowledge(ids, by, from, note, true), Vertx.currentContext());
  }

  /**
   * Assigns an open alarm to an enabled staff member, or unassigns it ({@code assignee} null).
   *
   * @throws ServiceException 400 for an unknown or disabled member, 404, 409 for a cleared alarm
   */
  public Future<AlarmView> assign(long id, String assignee, StaffPrincipal by, String from) {
    return jdbc.transaction(
        c -> {
          if (assignee != null && !StaffDirectory.isEnabled(c, assignee)) {
            throw new ServiceException(
                Failure.INVALID_INPUT,
                "'assignee': '" + assignee + "' is not an enabled staff member");
          }
          updateOpen(c, id, "assignee = ?", assignee, Types.VARCHAR);
          Map<String, Object> detail = new LinkedHashMap<>();
          detail.put("assignee", assignee);
          audit(c, by, from, "alarm.assign", id, detail);
          return AlarmViews.view(c, id).orElseThrow();
        });
  }

  /**
   * Snoozes an open alarm until {@code until}, or ends its snooze ({@code until} null): while
   * snoozed it is left out of the default alarm list and its events are not notified.
   */
  public Future<AlarmView> snooze(
      long id, Instant until, String note, StaffPrincipal by, String from) {
    return jdbc.transaction(
        c -> {
          updateOpen(
              c,
              id,
              "snoozed_until = ?",
              until == null ? null : Timestamp.from(until),
              Types.TIMESTAMP);
          Map<String, Object> detail = new LinkedHashMap<>();
          detail.put("until", until == null ? null : until.toString());
          if (note != null) {
            detail.put("note", note);
          }
          audit(c, by, from, "alarm.snooze", id, detail);
          return AlarmViews.view(c, id).orElseThrow();
        });
  }

  /** Sets one column of an alarm that is not cleared: 404 if there is none, 409 if cleared. */
  private static void updateOpen(
      Connection c, long id, String assignment, Object value, int sqlType) throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE alarms SET " + assignment + " WHERE id = ? AND status <> 'cleared'")) {
      update.setObject(1, value, sqlType);
      update.setLong(2, id);
      if (update.executeUpdate() == 0) {
        throw AlarmQueries.status(c, id).isPresent()
            ? new ServiceException(Failure.CONFLICT, "the alarm is cleared")
            : new ServiceException(Failure.NOT_FOUND, "no such alarm");
      }
    }
  }

  private static void audit(
      Connection c,
      StaffPrincipal by,
      String from,
      String action,
      long alarmId,
      Map<String, Object> detail)
      throws SQLException {
    AuditLog.append(
        c,
        AuditEntry.of(by.name(), action, "alarm/" + alarmId, AuditEntry.Outcome.ALLOWED, from)
            .withDetail(detail));
  }
}
