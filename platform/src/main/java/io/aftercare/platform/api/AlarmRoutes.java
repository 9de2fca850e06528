package io.aftercare.platform.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.platform.alarms.AckOutcome;
import io.aftercare.platform.alarms.AlarmListQuery;
import io.aftercare.platform.alarms.AlarmView;
import io.aftercare.platform.alarms.Alarms;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.aftercare.platform.staff.Role;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * {@code /api/v1/alarms}: list and read; the queue's actions: acknowledge (one or many, with a
 * note) and snooze for supervisors, as acknowledging always was; assign for technicians.
 */
final class AlarmRoutes {

  private static final Set<String> STATUSES = Set.of("open", "active", "acknowledged", "cleared");
  private static final Set<String> SEVERITIES = Set.of("warning", "minor", "major", "critical");
  private static final Set<String> REMEDIATION_STATES =
      Set.of("none", "trying", "verifying", "fixed", "exhausted");

  /** The alarm list's one order, named in its cursors. */
  private static final String NEWEST_FIRST = "newest";

  static final int MAX_NOTE = 1000;
  static final int MAX_BULK_ACK = 500;
  static final Duration MAX_SNOOZE = Duration.ofDays(30);

  private final Alarms alarms;
  private final StaffAccess access;

  AlarmRoutes(Alarms alarms, StaffAccess access) {
    this.alarms = alarms;
    this.access = access;
  }

  void mount(Router api) {
    api.get("/alarms").handler(this::list);
    api.get("/alarms/:alarmId").handler(this::get);
    api.post("/alarms/acknowledgements").handler(this::acknowledgeAll);
    api.post("/alarms/:alarmId/ack").handler(this::acknowledge);
    api.post("/alarms/:alarmId/assignment").handler(this::assign);
    api.post("/alarms/:alarmId/snooze").handler(this::snooze);
  }

  /** The alarm queue, newest first, filtered, paged by cursor. */
  private void list(RoutingContext ctx) {
    int limit = QueryParams.integer(ctx, "limit", 100, 1, 1000);
    Cursor.Position from = Cursor.decode(ctx, NEWEST_FIRST);
    AlarmListQuery query =
        new AlarmListQuery(
            oneOf(ctx, "status", STATUSES),
            QueryParams.text(ctx, "deviceId"),
            oneOf(ctx, "severity", SEVERITIES),
            QueryParams.text(ctx, "ruleId"),
            QueryParams.text(ctx, "category"),
            oneOf(ctx, "remediationState", REMEDIATION_STATES),
            QueryParams.text(ctx, "assignee"),
            // Snoozed alarms stay out of the queue unless asked for.
            Objects.requireNonNullElse(QueryParams.bool(ctx, "snoozed"), Boolean.FALSE),
            Instant.now(),
            from == null ? null : Cursor.numericId(from),
            limit + 1);
    alarms
        .list(query)
        .map(
            rows -> {
              if (rows.size() <= limit) {
                return new AlarmPage(rows, null);
              }
              String last = Long.toString(rows.get(limit - 1).id());
              return new AlarmPage(rows.subList(0, limit), Cursor.encode(NEWEST_FIRST, last, last));
            })
        .onSuccess(page -> ApiJson.send(ctx, 200, page))
        .onFailure(ctx::fail);
  }

  /** {@code GET /alarms}: a page, and the token of the next one unless this is the last. */
  record AlarmPage(List<AlarmView> alarms, String nextCursor) {}

  private void get(RoutingContext ctx) {
    alarms
        .find(alarmId(ctx))
        .compose(
            alarm ->
                alarm.isPresent()
                    ? Future.succeededFuture(alarm.get())
                    : Future.failedFuture(new ServiceException(Failure.NOT_FOUND, "no such alarm")))
        .onSuccess(alarm -> ApiJson.send(ctx, 200, alarm))
        .onFailure(ctx::fail);
  }

  /** With an optional body {@code {"note"}}; without one, as it always was. */
  private void acknowledge(RoutingContext ctx) {
    long id = alarmId(ctx);
    var by = access.require(ctx, Role.SUPERVISOR, "alarm.acknowledge", "alarm/" + id);
    String note = hasBody(ctx) ? note(ApiJson.read(ctx, AckNote.class).note()) : null;
    alarms
        .acknowledge(id, by, StaffAccess.remoteAddress(ctx), note)
        .onSuccess(alarm -> ApiJson.send(ctx, 200, alarm))
        .onFailure(ctx::fail);
  }

  /** {@code POST /alarms/{id}/ack}'s optional body. */
  record AckNote(String note) {}

  /** Up to 500 alarms in one go, audited as one entry; each alarm's outcome in the answer. */
  private void acknowledgeAll(RoutingContext ctx) {
    var by = access.require(ctx, Role.SUPERVISOR, "alarm.bulk_acknowledge", "alarms");
    BulkAck request = ApiJson.read(ctx, BulkAck.class);
    if (request.alarmIds() == null || request.alarmIds().isEmpty()) {
      throw new ServiceException(Failure.INVALID_INPUT, "'alarmIds' must list at least one alarm");
    }
    if (request.alarmIds().size() > MAX_BULK_ACK) {
      throw new ServiceException(
          Failure.INVALID_INPUT, "'alarmIds' may list at most " + MAX_BULK_ACK + " alarms");
    }
    if (request.alarmIds().contains(null)) {
      throw new ServiceException(Failure.INVALID_INPUT, "'alarmIds' must not contain null");
    }
    List<Long> ids = List.copyOf(new LinkedHashSet<>(request.alarmIds()));
    alarms
        .acknowledgeAll(ids, by, StaffAccess.remoteAddress(ctx), note(request.note()))
        .map(
            outcomes ->
                new BulkAckResults(
                    outcomes.entrySet().stream()
                        .map(e -> new BulkAckResult(e.getKey(), e.getValue()))
                        .toList()))
        .onSuccess(results -> ApiJson.send(ctx, 200, results))
        .onFailure(ctx::fail);
  }

  /** {@code POST /alarms/acknowledgements}'s body. */
  record BulkAck(List<Long> alarmIds, String note) {}

  record BulkAckResult(long alarmId, AckOutcome outcome) {}

  record BulkAckResults(List<BulkAckResult> results) {}

  /** {@code {"assignee": name}} assigns, {@code {"assignee": null}} unassigns. */
  private void assign(RoutingContext ctx) {
    long id = alarmId(ctx);
    var by = access.require(ctx, Role.TECHNICIAN, "alarm.assign", "alarm/" + id);
    JsonNode body = ApiJson.read(ctx, JsonNode.class);
    onlyFields(body, "assignee");
    JsonNode assignee = body.get("assignee");
    if (assignee == null || !(assignee.isNull() || assignee.isTextual())) {
      throw new ServiceException(
          Failure.INVALID_INPUT, "'assignee' must be a staff member's name, or null to unassign");
    }
    alarms
        .assign(
            id, assignee.isNull() ? null : assignee.asText(), by, StaffAccess.remoteAddress(ctx))
        .onSuccess(alarm -> ApiJson.send(ctx, 200, alarm))
        .onFailure(ctx::fail);
  }

  /**
   * {@code {"until": time, "note"}} snoozes (at most 30 days ahead); {@code until} null ends it.
   */
  private void snooze(RoutingContext ctx) {
    long id = alarmId(ctx);
    var by = access.require(ctx, Role.SUPERVISOR, "alarm.snooze", "alarm/" + id);
    JsonNode body = ApiJson.read(ctx, JsonNode.class);
    onlyFields(body, "until", "note");
    JsonNode untilField = body.get("until");
    if (untilField == null || !(untilField.isNull() || untilField.isTextual())) {
      throw new ServiceException(
          Failure.INVALID_INPUT, "'until' must be an ISO-8601 time, or null to end the snooze");
    }
    Instant until = untilField.isNull() ? null : snoozeEnd(untilField.asText());
    JsonNode noteField = body.get("note");
    if (noteField != null && !noteField.isNull() && !noteField.isTextual()) {
      throw new ServiceException(Failure.INVALID_INPUT, "'note' must be text");
    }
    String note = noteField == null || noteField.isNull() ? null : note(noteField.asText());
    alarms
        .snooze(id, until, note, by, StaffAccess.remoteAddress(ctx))
        .onSuccess(alarm -> ApiJson.send(ctx, 200, alarm))
        .onFailure(ctx::fail);
  }

  private static Instant snoozeEnd(String text) {
    Instant until;
    try {
      until = OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new ServiceException(
          Failure.INVALID_INPUT, "'until' must be an ISO-8601 time with offset");
    }
    Instant now = Instant.now();
    if (!until.isAfter(now) || until.isAfter(now.plus(MAX_SNOOZE))) {
      throw new ServiceException(
          Failure.INVALID_INPUT, "'until' must be in the future, at most 30 days ahead");
    }
    return until;
  }

  private static void onlyFields(JsonNode body, String... allowed) {
    List<String> known = List.of(allowed);
    body.fieldNames()
        .forEachRemaining(
            name -> {
              if (!known.contains(name)) {
                throw new ServiceException(Failure.INVALID_INPUT, "unknown field '" + name + "'");
              }
            });
  }

  /** A note as stored: blank is none; longer than 1,000 characters is a 400. */
  private static String note(String note) {
    if (note == null || note.isBlank()) {
      return null;
    }
    if (note.length() > MAX_NOTE) {
      throw new ServiceException(
          Failure.INVALID_INPUT, "'note' must be at most " + MAX_NOTE + " characters");
    }
    return note.strip();
  }

  private static boolean hasBody(RoutingContext ctx) {
    return ctx.body().buffer() != null && ctx.body().buffer().length() > 0;
  }

  private static long alarmId(RoutingContext ctx) {
    try {
      return Long.parseLong(ctx.pathParam("alarmId"));
    } catch (NumberFormatException e) {
      throw new ServiceException(Failure.NOT_FOUND, "no such alarm");
    }
  }

  private static String oneOf(RoutingContext ctx, String name, Set<String> allowed) {
    String value = QueryParams.text(ctx, name);
    if (value != null && !allowed.contains(value)) {
      throw new ServiceException(
          Failure.INVALID_INPUT, "query parameter '" + name + "' must be one of " + allowed);
    }
    return value;
  }
}
