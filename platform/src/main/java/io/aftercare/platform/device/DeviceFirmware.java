package io.aftercare.platform.device;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.domain.DeviceEvent;
import io.aftercare.platform.audit.AuditEntry;
import io.aftercare.platform.audit.AuditLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Keeps a device's stored firmware version in step with what it runs. The version is given at
 * provisioning; after that only the device knows, and it says so in a command's result (a
 * successful {@code firmware_rollback}, or any command that changes the firmware, reports {@code
 * output.firmware}) or in any event's {@code data.firmware} (e.g. when it boots). A rollback that
 * succeeded without saying falls back to the version it was asked for. Ticket evidence and rules
 * read the stored version, so a stale one would mislead both. Each change is kept with the version
 * it replaced, for the firmware regression guard's device-days per version.
 */
public final class DeviceFirmware {

  /** The command that changes the firmware; its {@code version} parameter is the target. */
  private static final String ROLLBACK = "firmware_rollback";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A version as devices write it (1.4.2, 2.0.0-rc1, 3.1+build7), at most as long as a column. */
  private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z._+-]{1,128}");

  private DeviceFirmware() {}

  /**
   * Records the version a command's successful result reports, in the caller's transaction; audits
   * a change as the device's own.
   *
   * @param paramsJson the command's parameters; {@code outputJson} the result's output (either may
   *     be null)
   */
  public static void afterSuccess(
      Connection c, String deviceId, String commandName, String paramsJson, String outputJson)
      throws SQLException {
    Optional<String> version = reported(outputJson);
    if (version.isEmpty() && ROLLBACK.equals(commandName)) {
      version = text(read(paramsJson).path("version"));
    }
    if (version.isPresent()) {
      store(c, deviceId, version.get(), "command", commandName);
    }
  }

  /**
   * Records the versions the events report in {@code data.firmware} (a device says what it runs
   * when it boots or finishes an update), in the caller's transaction; a change is audited as the
   * device's own. Events in arrival order, so the last one of a device wins.
   */
  public static void fromEvents(Connection c, List<DeviceEvent> events) throws SQLException {
    for (DeviceEvent event : events) {
      Optional<String> version = reported(event);
      if (version.isPresent()) {
        store(c, event.deviceId(), version.get(), "event", event.type());
      }
    }
  }

  /** The version an event reports in {@code data.firmware}, if it does. */
  public static Optional<String> reported(DeviceEvent event) {
    // Most events carry no version: skip them without parsing their data.
    if (event.dataJson() == null || !event.dataJson().contains("\"firmware\"")) {
      return Optional.empty();
    }
    return reported(event.dataJson());
  }

  /**
   * @param source what reported it: {@code command} or {@code event}; {@code name} the command's
   *     name or the event's type
   */
  private static void store(
      Connection c, String deviceId, String version, String source, String name)
      throws SQLException {
    String previous;
    // Locks the row only when the version changes (a device says its version on every boot).
    try (PreparedStatement current =
        c.prepareStatement(
            "SELECT firmware FROM devices WHERE id = ? AND firmware IS DISTINCT FROM ?"
                + " FOR UPDATE")) {
      current.setString(1, deviceId);
      current.setString(2, version);
      try (ResultSet rs = current.executeQuery()) {
        if (!rs.next()) {
          return;
        }
        previous = rs.getString(1);
      }
    }
    try (PreparedStatement update =
        c.prepareStatement("UPDATE devices SET firmware = ? WHERE id = ?")) {
      update.setString(1, version);
      update.setString(2, deviceId);
      update.executeUpdate();
    }
    // The history the firmware regression guard counts each version's device-days from.
    try (PreparedStatement change =
        c.prepareStatement(
            "INSERT INTO device_firmware_changes (device_id, previous, firmware, changed_at)"
                + " VALUES (?, ?, ?, now())")) {
      change.setString(1, deviceId);
      change.setString(2, previous);
      change.setString(3, version);
      change.executeUpdate();
    }
    AuditLog.append(
        c,
        AuditEntry.of(
                "device:" + deviceId,
                "device.firmware",
                "device/" + deviceId,
                AuditEntry.Outcome.ALLOWED,
                null)
            .withDetail(
                JSON.createObjectNode().put("firmware", version).put(source, name).toString()));
  }

  private static Optional<String> reported(String outputJson) {
    return text(read(outputJson).path("firmware"));
  }

  private static Optional<String> text(JsonNode node) {
    return node.isTextual() && VERSION.matcher(node.asText()).matches()
        ? Optional.of(node.asText())
        : Optional.empty();
  }

  /** A missing or unreadable document reads as empty: it carries no version. */
  private static JsonNode read(String json) {
    if (json == null) {
      return JSON.missingNode();
    }
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      return JSON.missingNode();
    }
  }
}
