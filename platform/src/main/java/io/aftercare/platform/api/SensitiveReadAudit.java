package io.aftercare.platform.api;

import io.aftercare.platform.audit.AuditEntry;
import io.aftercare.platform.audit.AuditLog;
import io.aftercare.platform.privacy.DataCategory;
import io.aftercare.platform.privacy.DataClass;
import io.aftercare.platform.privacy.DataClassification;
import io.aftercare.platform.staff.StaffPrincipal;
import io.vertx.ext.web.RoutingContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The access log of sensitive data (docs/privacy.md): a staff {@code GET} of a route that returns
 * sensitive data writes one audit entry {@code data.read.sensitive} naming the reader, the object
 * and the categories read, before the route answers: one entry per request, however many rows it
 * returns. When the entry cannot be written the data is not served. Reads of a device's events or
 * telemetry are sensitive or not by the device's type and the metric asked for, so those look the
 * device's type up in the entry's transaction. Every such route is open to viewers, so an entry is
 * never written for a request the route then refuses for its role. The ticket export is not here:
 * it needs a supervisor and writes its own entry ({@code ticket.export}) in the transaction that
 * reads the cases.
 *
 * <p>The live stream ({@code GET /live}, the console's server-sent events) is a read too: with
 * {@code device} it carries every telemetry document of that device for as long as it stays open,
 * so opening it writes one entry for the whole subscription, naming the device and what its
 * telemetry is (lock and camera data, or presence metrics among the rest), not one per event.
 * Without {@code device} it carries ids and states of alarms, tickets and commands, no sensitive
 * data, and writes none.
 */
final class SensitiveReadAudit {

  static final String ACTION = "data.read.sensitive";

  private static final String PREFIX = "/api/v1";
  private static final String LIVE = "/live";
  private static final Pattern DEVICE_DATA = Pattern.compile("/devices/([^/]+)/(events|telemetry)");
  private static final List<Fixed> FIXED =
      List.of(
          fixed("/devices", DataClassification.CUSTOMER_REF, DataClassification.HOME_ID),
          fixed("/devices/([^/]+)", DataClassification.CUSTOMER_REF, DataClassification.HOME_ID),
          fixed("/tickets", DataClassification.CUSTOMER_REF, DataClassification.CUSTOMER_TEXT),
          fixed(
              "/tickets/([0-9]+)",
              DataClassification.CUSTOMER_REF,
              DataClassification.CUSTOMER_TEXT),
          fixed("/complaints", DataClassification.CUSTOMER_REF, DataClassification.CUSTOMER_TEXT),
          fixed(
              "/complaints/([0-9]+)",
              DataClassification.CUSTOMER_REF,
              DataClassification.CUSTOMER_TEXT),
          fixed("/incidents", DataClassification.CUSTOMER_REF),
          fixed("/incidents/([0-9]+)", DataClassification.CUSTOMER_REF),
          fixed("/parts/issues", DataClassification.CUSTOMER_REF),
          // A batch shows the fleet filters it was submitted with: a customer or home among them.
          fixed("/bulk-commands", DataClassification.CUSTOMER_REF, DataClassification.HOME_ID),
          fixed(
              "/bulk-commands/([^/]+)",
              DataClassification.CUSTOMER_REF,
              DataClassification.HOME_ID));

  /** A route whose answer is always of the same categories. */
  private record Fixed(Pattern path, List<DataCategory> categories) {}

  private static Fixed fixed(String path, DataCategory... categories) {
    return new Fixed(Pattern.compile(path), List.of(categories));
  }

  private final AuditLog audit;

  SensitiveReadAudit(AuditLog audit) {
    this.audit = audit;
  }

  /** Mounted for every staff GET, after authentication and ahead of the routes. */
  void handle(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    if (!path.startsWith(PREFIX)) {
      ctx.next();
      return;
    }
    path = path.substring(PREFIX.length());
    StaffPrincipal by = StaffAccess.principal(ctx);
    Matcher deviceData = DEVICE_DATA.matcher(path);
    if (deviceData.matches()) {
      String deviceId = deviceData.group(1);
      boolean events = deviceData.group(2).equals("events");
      String metric = ctx.request().getParam("metric");
      audit
          .recordIf(
              c -> {
                String type = deviceType(c, deviceId);
                if (type == null) {
                  return Optional.empty(); // the route answers 404
                }
                DataCategory read =
                    events
                        ? DataClassification.ofEvents(type)
                        : DataClassification.ofTelemetry(type, metric);
                return read.dataClass() == DataClass.SENSITIVE
                    ? Optional.of(entry(ctx, by, "device/" + deviceId, List.of(read)))
                    : Optional.empty();
              })
          .onSuccess(ignored -> ctx.next())
          .onFailure(ctx::fail);
      return;
    }
    if (path.equals(LIVE) && ctx.request().getParam("device") != null) {
      String deviceId = ctx.request().getParam("device");
      audit
          .recordIf(c -> liveTelemetryEntry(c, ctx, by, deviceId))
          .onSuccess(ignored -> ctx.next())
          .onFailure(ctx::fail);
      return;
    }
    for (Fixed route : FIXED) {
      Matcher matcher = route.path().matcher(path);
      if (matcher.matches()) {
        audit
            .record(entry(ctx, by, target(path, matcher), route.categories()))
            .onSuccess(ignored -> ctx.next())
            .onFailure(ctx::fail);
        return;
      }
    }
    ctx.next();
  }

  /**
   * The entry of a live stream of the device's telemetry: every metric, so lock and camera data for
   * those devices, presence metrics among the rest for others; none for an unknown device (the
   * route answers 404).
   */
  private static Optional<AuditEntry> liveTelemetryEntry(
      Connection c, RoutingContext ctx, StaffPrincipal by, String deviceId) throws SQLException {
    String type = deviceType(c, deviceId);
    if (type == null) {
      return Optional.empty();
    }
    Map<String, Object> detail = detail(ctx, List.of(DataClassification.ofTelemetry(type, null)));
    detail.put("stream", "the device's telemetry until the stream closes");
    return Optional.of(
        StaffAccess.allowed(ctx, by, ACTION, "device/" + deviceId).withDetail(detail));
  }

  /** {@code device/x} for one object, the collection's path ({@code parts/issues}) for a list. */
  private static String target(String path, Matcher matcher) {
    String collection =
        path.substring(1, path.indexOf('/', 1) < 0 ? path.length() : path.indexOf('/', 1));
    if (matcher.groupCount() == 1) {
      return collection.substring(0, collection.length() - 1) + "/" + matcher.group(1);
    }
    return path.substring(1);
  }

  private static AuditEntry entry(
      RoutingContext ctx, StaffPrincipal by, String target, List<DataCategory> categories) {
    return StaffAccess.allowed(ctx, by, ACTION, target).withDetail(detail(ctx, categories));
  }

  private static Map<String, Object> detail(RoutingContext ctx, List<DataCategory> categories) {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("class", DataClass.SENSITIVE.wireName());
    detail.put("data", categories.stream().map(DataCategory::name).toList());
    detail.put("path", ctx.normalizedPath());
    return detail;
  }

  private static String deviceType(Connection c, String deviceId) throws SQLException {
    try (PreparedStatement select = c.prepareStatement("SELECT type FROM devices WHERE id = ?")) {
      select.setString(1, deviceId);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }
}
