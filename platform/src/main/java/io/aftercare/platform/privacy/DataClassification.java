package io.aftercare.platform.privacy;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The classification of device and customer data, as the code applies it: which reads are audited
 * as sensitive ({@code SensitiveReadAudit}) and what is sealed at rest. docs/privacy.md shows this
 * table; {@code DataClassificationDocTest} keeps the two equal.
 */
public final class DataClassification {

  public static final DataCategory CUSTOMER_REF =
      new DataCategory(
          "customer_ref",
          DataClass.SENSITIVE,
          "the customer's reference: devices, tickets, complaints, incidents' scope, part issues",
          "with its device or case (cases are kept for ever)");
  public static final DataCategory HOME_ID =
      new DataCategory(
          "home_id",
          DataClass.SENSITIVE,
          "the home a device is installed in: devices",
          "with its device");
  public static final DataCategory CUSTOMER_TEXT =
      new DataCategory(
          "customer_text",
          DataClass.SENSITIVE,
          "what customers and staff wrote about a customer: reported symptoms, complaint text and"
              + " notes, appointment address references, follow-up notes",
          "with its case or complaint (kept for ever)");
  public static final DataCategory LOCK_CAMERA_EVENTS =
      new DataCategory(
          "lock_camera_events",
          DataClass.SENSITIVE,
          "events and telemetry of door_lock and camera devices (who came and went, when)",
          "events: database.sensitiveEventsRetainFor (90 days), telemetry: database.retainFor");
  public static final DataCategory PRESENCE_METRICS =
      new DataCategory(
          "presence_metrics",
          DataClass.SENSITIVE,
          "metrics whose name starts with presence, occupancy or motion, on any device",
          "database.presenceRetainFor (90 days)");
  public static final DataCategory TELEMETRY =
      new DataCategory(
          "telemetry",
          DataClass.GENERAL,
          "other metrics (temperatures, battery, power) and events of other device types",
          "telemetry: database.retainFor (365 days), events: for ever");
  public static final DataCategory DEVICE_STATE =
      new DataCategory(
          "device_state",
          DataClass.GENERAL,
          "connectivity, alarms, diagnostic sessions, commands and their parameters",
          "for ever (the evidence of cases)");
  public static final DataCategory STAFF_ACTIVITY =
      new DataCategory(
          "staff_activity",
          DataClass.GENERAL,
          "staff names, roles and the audit log of their actions and reads",
          "for ever (the access log)");
  public static final DataCategory DEVICE_IDENTITY =
      new DataCategory(
          "device_identity",
          DataClass.PUBLIC,
          "device type, model, firmware version, command catalogue",
          "with its device");

  /** Every category, in the order docs/privacy.md lists them. */
  public static final List<DataCategory> ALL =
      List.of(
          CUSTOMER_REF,
          HOME_ID,
          CUSTOMER_TEXT,
          LOCK_CAMERA_EVENTS,
          PRESENCE_METRICS,
          TELEMETRY,
          DEVICE_STATE,
          STAFF_ACTIVITY,
          DEVICE_IDENTITY);

  /** Device types whose every event and reading tells who is at the door or in the picture. */
  public static final Set<String> SENSITIVE_DEVICE_TYPES = Set.of("door_lock", "camera");

  /** How the name of a presence metric starts. */
  public static final List<String> PRESENCE_PREFIXES = List.of("presence", "occupancy", "motion");

  private DataClassification() {}

  /** What the events of a device of {@code deviceType} are. */
  public static DataCategory ofEvents(String deviceType) {
    return SENSITIVE_DEVICE_TYPES.contains(deviceType) ? LOCK_CAMERA_EVENTS : TELEMETRY;
  }

  /**
   * What a telemetry read of {@code metric} ({@code null}: every metric, presence ones included) on
   * a device of {@code deviceType} returns.
   */
  public static DataCategory ofTelemetry(String deviceType, String metric) {
    if (SENSITIVE_DEVICE_TYPES.contains(deviceType)) {
      return LOCK_CAMERA_EVENTS;
    }
    if (metric == null) {
      return PRESENCE_METRICS;
    }
    String name = metric.toLowerCase(Locale.ROOT);
    return PRESENCE_PREFIXES.stream().anyMatch(name::startsWith) ? PRESENCE_METRICS : TELEMETRY;
  }
}
