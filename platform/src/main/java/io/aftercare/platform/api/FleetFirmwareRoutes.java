package io.aftercare.platform.api;

import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.aftercare.platform.fleet.firmware.FirmwareComparisons.ModelReport;
import io.aftercare.platform.fleet.firmware.FirmwareFleet;
import io.aftercare.platform.fleet.firmware.FirmwareRollbacks;
import io.aftercare.platform.fleet.firmware.GuardThresholds;
import io.aftercare.platform.fleet.firmware.RegressionAlarm;
import io.aftercare.platform.staff.Role;
import io.aftercare.platform.staff.StaffPrincipal;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * {@code GET /fleet/firmware}: alarm rates per firmware version and rule against the previous
 * version of the same model, and the firmware regression guard's active fleet alarms with the
 * rollback each offers, for every role; {@code POST /fleet/firmware/regressions/{id}/rollback}
 * (supervisor; audited {@code firmware_regression.rollback}) starts that rollback
 * (docs/diagnostics.md, Firmware regression guard).
 */
final class FleetFirmwareRoutes {

  private static final int MAX_REASON = 1000;

  private final FirmwareFleet fleet;
  private final FirmwareRollbacks rollbacks;
  private final StaffAccess access;
  private final Clock clock;

  FleetFirmwareRoutes(
      FirmwareFleet fleet, FirmwareRollbacks rollbacks, StaffAccess access, Clock clock) {
    this.fleet = fleet;
    this.rollbacks = rollbacks;
    this.access = access;
    this.clock = clock;
  }

  void mount(Router api) {
    api.get("/fleet/firmware").handler(this::comparison);
    api.post("/fleet/firmware/regressions/:id/rollback").handler(this::rollBack);
  }

  /**
   * @param reason why the fleet is rolled back, for the audit log (required)
   */
  record RollbackBody(String reason) {}

  private void rollBack(RoutingContext ctx) {
    String target = "firmware-regression/" + ctx.pathParam("id");
    StaffPrincipal by =
        access.require(ctx, Role.SUPERVISOR, "firmware_regression.rollback", target);
    long alarmId;
    try {
      alarmId = Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      throw new ServiceException(Failure.NOT_FOUND, "no such firmware regression alarm");
    }
    RollbackBody body = ApiJson.read(ctx, RollbackBody.class);
    if (body.reason() == null || body.reason().isBlank()) {
      throw invalid("'reason' is required");
    }
    if (body.reason().length() > MAX_REASON) {
      throw invalid("'reason' must be at most " + MAX_REASON + " characters");
    }
    rollbacks
        .rollBack(alarmId, body.reason().strip(), by, StaffAccess.remoteAddress(ctx))
        .onSuccess(outcome -> ApiJson.send(ctx, 200, outcome))
        .onFailure(ctx::fail);
  }

  /** [from, to) in UTC days, as the health series: the last 30 days by default, at most 366. */
  private void comparison(RoutingContext ctx) {
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    LocalDate to = QueryParams.date(ctx, "to", today.plusDays(1));
    LocalDate from = QueryParams.date(ctx, "from", to.minusDays(FleetHealthRoutes.DEFAULT_DAYS));
    if (!from.isBefore(to)) {
      throw invalid("query parameter 'to' must be after 'from'");
    }
    if (ChronoUnit.DAYS.between(from, to) > FleetHealthRoutes.MAX_DAYS) {
      throw invalid(
          "query parameter 'to' must be at most "
              + FleetHealthRoutes.MAX_DAYS
              + " days after 'from'");
    }
    String model = QueryParams.text(ctx, "model");
    String rule = QueryParams.text(ctx, "rule");
    fleet
        .report(
            from.atStartOfDay(ZoneOffset.UTC).toInstant(),
            to.atStartOfDay(ZoneOffset.UTC).toInstant(),
            model,
            rule)
        .compose(
            models ->
                fleet
                    .activeAlarms(model, rule)
                    .compose(rollbacks::offering)
                    .map(alarms -> new Body(from, to, model, rule, fleet.limits(), models, alarms)))
        .onSuccess(body -> ApiJson.send(ctx, 200, body))
        .onFailure(ctx::fail);
  }

  private static ServiceException invalid(String message) {
    return new ServiceException(Failure.INVALID_INPUT, message);
  }

  /**
   * @param thresholds when a comparison concludes; {@code significance} is also 1 - the intervals'
   *     confidence
   * @param regressionAlarms the guard's active fleet alarms (of the model and rule when given),
   *     from its last periodic evaluation over its own period, each with the rollback it offers
   */
  record Body(
      LocalDate from,
      LocalDate to,
      String model,
      String rule,
      GuardThresholds thresholds,
      List<ModelReport> models,
      List<RegressionAlarm> regressionAlarms) {}
}
