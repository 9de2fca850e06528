package io.aftercare.platform.fleet.firmware;

import io.aftercare.platform.audit.AuditEntry;
import io.aftercare.platform.audit.AuditLog;
import io.aftercare.platform.consent.OwnerConsent;
import io.aftercare.platform.db.Jdbc;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.aftercare.platform.playbook.StaffPlaybookRuns;
import io.aftercare.platform.staff.StaffPrincipal;
import io.vertx.core.Future;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rollback a regression alarm offers (docs/diagnostics.md, "Firmware regression guard"): the
 * configured playbook started by a supervisor on every device in service of the alarm's model that
 * runs its firmware now. Each device's run is started as a staff member starts one on a device
 * ({@link StaffPlaybookRuns#start}), so the owner's consent is checked per device and each run is
 * audited {@code playbook_run.start}; the whole action is audited {@code
 * firmware_regression.rollback} with its reason and counts.
 */
public final class FirmwareRollbacks {

  /** How many refused devices the answer names; the count covers them all. */
  public static final int LISTED_DEVICES = 50;

  private static final Logger LOG = LoggerFactory.getLogger(FirmwareRollbacks.class);

  // Decommissioned devices are out of the guard's counts, and out of the rollback.
  private static final String ON_VERSION =
      " FROM devices WHERE model = ? AND firmware = ? AND service_state <> 'decommissioned'";

  private final Jdbc jdbc;
  private final StaffPlaybookRuns runs;
  private final String playbook;

  /**
   * @param playbook {@code diagnostics.firmwareGuard.rollbackPlaybook}; null or blank: none offered
   */
  public FirmwareRollbacks(Jdbc jdbc, StaffPlaybookRuns runs, String playbook) {
    this.jdbc = jdbc;
    this.runs = runs;
    this.playbook = playbook == null || playbook.isBlank() ? null : playbook;
  }

  /**
   * The alarms, each active one with its offer when a playbook is configured and loaded (an
   * operator rule folder may replace or lack it).
   */
  public Future<List<RegressionAlarm>> offering(List<RegressionAlarm> alarms) {
    if (!loaded() || alarms.isEmpty()) {
      return Future.succeededFuture(alarms);
    }
    return jdbc.call(
        c -> {
          List<RegressionAlarm> offered = new ArrayList<>();
          for (RegressionAlarm alarm : alarms) {
            offered.add(
                "active".equals(alarm.status())
                    ? alarm.offering(new RollbackOffer(playbook, devices(c, alarm).size()))
                    : alarm);
          }
          return offered;
        });
  }

  /**
   * Starts the playbook on each device of the alarm's model and version, one after the other.
   *
   * @throws ServiceException 404 for an unknown alarm, 409 for a cleared one, 400 when no playbook
   *     is configured
   */
  public Future<RollbackOutcome> rollBack(
      long alarmId, String reason, StaffPrincipal by, String from) {
    if (!loaded()) {
      return Future.failedFuture(
          new ServiceException(
              Failure.INVALID_INPUT,
              playbook == null
                  ? "no rollback playbook is configured"
                      + " (diagnostics.firmwareGuard.rollbackPlaybook)"
                  : "the rollback playbook '" + playbook + "' is not loaded"));
    }
    return jdbc.call(c -> target(c, alarmId))
        .compose(
            target -> {
              Tally tally = new Tally();
              List<String> toStart = new ArrayList<>();
              for (String deviceId : target.devices()) {
                if (target.running().contains(deviceId)) {
                  tally.skipped++;
                } else {
                  toStart.add(deviceId);
                }
              }
              return startEach(toStart.iterator(), tally, by, from)
                  .map(
                      done ->
                          new RollbackOutcome(
                              alarmId,
                              playbook,
                              target.devices().size(),
                              tally.started,
                              tally.refusedForConsent,
                              List.copyOf(tally.refusedDeviceIds),
                              tally.refusedOtherwise,
                              tally.skipped))
                  .compose(outcome -> audited(target.alarm(), outcome, reason, by, from));
            });
  }

  private boolean loaded() {
    return playbook != null && runs.playbooks().stream().anyMatch(p -> p.id().equals(playbook));
  }

  private record Target(RegressionAlarm alarm, List<String> devices, Set<String> running) {}

  private Target target(Connection c, long alarmId) throws SQLException {
    RegressionAlarm alarm =
        RegressionAlarms.find(c, alarmId)
            .orElseThrow(
                () -> new ServiceException(Failure.NOT_FOUND, "no such firmware regression alarm"));
    if (!"active".equals(alarm.status())) {
      throw new ServiceException(
          Failure.CONFLICT, "the firmware regression alarm has cleared: nothing to roll back");
    }
    List<String> devices = devices(c, alarm);
    return new Target(alarm, devices, running(c, devices));
  }

  /**
   * One device after the other: a fleet rollback is not urgent enough to take every database
   * connection for it, and each start is a short transaction of its own.
   */
  private Future<Void> startEach(
      Iterator<String> devices, Tally tally, StaffPrincipal by, String from) {
    if (!devices.hasNext()) {
      return Future.succeededFuture();
    }
    String deviceId = devices.next();
    return runs.start(deviceId, playbook, by, from)
        .transform(
            started -> {
              if (started.succeeded()) {
                tally.started++;
              } else if (isConsentRefusal(started.cause())) {
                tally.refusedForConsent++;
                if (tally.refusedDeviceIds.size() < LISTED_DEVICES) {
                  tally.refusedDeviceIds.add(deviceId);
                }
              } else {
                tally.refusedOtherwise++;
                LOG.warn(
                    "Firmware rollback not started on {}: {}",
                    deviceId,
                    started.cause().getMessage());
              }
              return startEach(devices, tally, by, from);
            });
  }

  private static boolean isConsentRefusal(Throwable error) {
    return error instanceof ServiceException refusal
        && refusal.problemType().filter(OwnerConsent.CONSENT_REQUIRED::equals).isPresent();
  }

  private Future<RollbackOutcome> audited(
      RegressionAlarm alarm,
      RollbackOutcome outcome,
      String reason,
      StaffPrincipal by,
      String from) {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("reason", reason);
    detail.put("playbook", playbook);
    detail.put("model", alarm.model());
    detail.put("firmware", alarm.firmware());
    detail.put("ruleId", alarm.ruleId());
    detail.put("devices", outcome.devices());
    detail.put("started", outcome.started());
    detail.put("refusedForConsent", outcome.refusedForConsent());
    detail.put("refusedOtherwise", outcome.refusedOtherwise());
    detail.put("skipped", outcome.skipped());
    return jdbc.transaction(
        c -> {
          AuditLog.append(
              c,
              AuditEntry.of(
                      by.name(),
                      "firmware_regression.rollback",
                      "firmware-regression/" + alarm.id(),
                      AuditEntry.Outcome.ALLOWED,
                      from)
                  .withDetail(detail));
          return outcome;
        });
  }

  private static List<String> devices(Connection c, RegressionAlarm alarm) throws SQLException {
    List<String> ids = new ArrayList<>();
    try (PreparedStatement select = c.prepareStatement("SELECT id" + ON_VERSION + " ORDER BY id")) {
      select.setString(1, alarm.model());
      select.setString(2, alarm.firmware());
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    return ids;
  }

  /** The devices among {@code devices} with a run of the playbook still under way. */
  private Set<String> running(Connection c, List<String> devices) throws SQLException {
    Set<String> running = new HashSet<>();
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT DISTINCT device_id FROM playbook_runs"
                + " WHERE playbook = ? AND state = 'running' AND device_id = ANY (?)")) {
      select.setString(1, playbook);
      select.setArray(2, c.createArrayOf("text", devices.toArray()));
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          running.add(rs.getString(1));
        }
      }
    }
    return running;
  }

  /** Counts kept while the starts go one after the other (on one thread at a time). */
  private static final class Tally {
    int started;
    int refusedForConsent;
    final List<String> refusedDeviceIds = new ArrayList<>();
    int refusedOtherwise;
    int skipped;
  }
}
