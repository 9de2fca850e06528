package io.aftercare.platform.api;

import io.aftercare.diagnostics.rules.Playbook;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.aftercare.platform.playbook.StaffPlaybookRuns;
import io.aftercare.platform.staff.Role;
import io.aftercare.platform.staff.StaffPrincipal;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;

/**
 * Playbooks staff start on a device and watch step by step (docs/diagnostics.md, "Playbooks"):
 * {@code GET /playbooks} (the ones loaded), {@code POST /devices/{id}/playbook-runs} (technician;
 * audited {@code playbook_run.start}), {@code GET /devices/{id}/playbook-runs} and {@code GET
 * /devices/{id}/playbook-runs/{runId}}.
 */
final class PlaybookRunRoutes {

  private final StaffPlaybookRuns runs;
  private final StaffAccess access;

  PlaybookRunRoutes(StaffPlaybookRuns runs, StaffAccess access) {
    this.runs = runs;
    this.access = access;
  }

  void mount(Router api) {
    api.get("/playbooks").handler(this::playbooks);
    api.post("/devices/:id/playbook-runs").handler(this::start);
    api.get("/devices/:id/playbook-runs").handler(this::list);
    api.get("/devices/:id/playbook-runs/:runId").handler(this::get);
  }

  /** A loaded playbook as staff choose it: its steps by name and command. */
  record PlaybookSummary(String id, String description, List<StepSummary> steps) {

    static PlaybookSummary of(Playbook playbook) {
      return new PlaybookSummary(
          playbook.id(),
          playbook.description(),
          playbook.steps().stream()
              .map(step -> new StepSummary(step.step().name(), step.command()))
              .toList());
    }
  }

  record StepSummary(String name, String command) {}

  private void playbooks(RoutingContext ctx) {
    access.require(ctx, Role.VIEWER, "playbook.list", "playbooks");
    ApiJson.send(
        ctx, 200, Map.of("playbooks", runs.playbooks().stream().map(PlaybookSummary::of).toList()));
  }

  /**
   * @param playbook the id of a loaded playbook
   */
  record StartBody(String playbook) {}

  private void start(RoutingContext ctx) {
    String deviceId = ctx.pathParam("id");
    StaffPrincipal by =
        access.require(ctx, Role.TECHNICIAN, "playbook_run.start", "device/" + deviceId);
    StartBody body = ApiJson.read(ctx, StartBody.class);
    if (body.playbook() == null || body.playbook().isBlank()) {
      throw new ServiceException(Failure.INVALID_INPUT, "'playbook' is required");
    }
    runs.start(deviceId, body.playbook(), by, StaffAccess.remoteAddress(ctx))
        .onSuccess(
            run -> {
              ctx.response()
                  .putHeader(
                      "location", "/api/v1/devices/" + deviceId + "/playbook-runs/" + run.id());
              ApiJson.send(ctx, 201, run);
            })
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    String deviceId = ctx.pathParam("id");
    access.require(ctx, Role.VIEWER, "playbook_run.list", "device/" + deviceId);
    runs.ofDevice(deviceId)
        .onSuccess(list -> ApiJson.send(ctx, 200, Map.of("deviceId", deviceId, "runs", list)))
        .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    String deviceId = ctx.pathParam("id");
    access.require(ctx, Role.VIEWER, "playbook_run.read", "device/" + deviceId);
    long runId;
    try {
      runId = Long.parseLong(ctx.pathParam("runId"));
    } catch (NumberFormatException e) {
      throw new ServiceException(Failure.NOT_FOUND, "no such playbook run");
    }
    runs.get(deviceId, runId).onSuccess(run -> ApiJson.send(ctx, 200, run)).onFailure(ctx::fail);
  }
}
