package io.aftercare.platform.alarms;

import io.aftercare.platform.db.Jdbc;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.aftercare.platform.staff.StaffPrincipal;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/** Alarms for the staff API: reading them, and acknowledging one through the engine. */
public final class Alarms {

  private final Jdbc jdbc;
  private final DiagnosticsRunner runner;

  public Alarms(Jdbc jdbc, DiagnosticsRunner runner) {
    this.jdbc = jdbc;
    this.runner = runner;
  }

  /**
   * Newest first; {@code status} is active, acknowledged, cleared, or {@code open} for both open
   * ones.
   */
  public Future<List<AlarmView>> list(
      String status, String deviceId, String severity, String ruleId, int limit) {
    return list(new AlarmListQuery(status, deviceId, severity, ruleId, null, null, null, limit));
  }

  /** A page of the alarm queue, newest first. */
  public Future<List<AlarmView>> list(AlarmListQuery query) {
    return jdbc.call(c -> AlarmViews.list(c, query));
  }

  public Future<Optional<AlarmView>> find(long id) {
    return jdbc.call(c -> AlarmViews.view(c, id));
  }

  public Future<AlarmView> acknowledge(long id, StaffPrincipal by, String from) {
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
                  runner.acknowledge(id, by, from), io.vertx.core.Vertx.currentContext());
            })
        .compose(done -> find(id))
        .map(Optional::orElseThrow);
  }
}
