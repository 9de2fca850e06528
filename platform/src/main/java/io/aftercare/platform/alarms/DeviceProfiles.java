package io.aftercare.platform.alarms;

import io.aftercare.diagnostics.DeviceProfile;
import io.aftercare.platform.command.CommandFinished;
import io.aftercare.platform.command.CommandStatus;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.sql.DataSource;

/**
 * The rule-relevant attributes of devices (type, model, firmware), read once from the registry and
 * kept: rules select devices by them on every sample, which must not cost a query. A successful
 * command can change the firmware ({@link io.aftercare.platform.device.DeviceFirmware}), so its end
 * makes the device's profile be read again.
 */
public final class DeviceProfiles {

  private final DataSource dataSource;
  private final ConcurrentMap<String, DeviceProfile> profiles = new ConcurrentHashMap<>();

  public DeviceProfiles(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** The device's profile; empty for a device that is not (or no longer) provisioned. */
  Optional<DeviceProfile> of(String deviceId) throws SQLException {
    DeviceProfile known = profiles.get(deviceId);
    if (known != null) {
      return Optional.of(known);
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement select =
            c.prepareStatement("SELECT id, type, model, firmware FROM devices WHERE id = ?")) {
      select.setString(1, deviceId);
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        DeviceProfile profile = read(rs);
        profiles.put(deviceId, profile);
        return Optional.of(profile);
      }
    }
  }

  /**
   * Reads, in one query, the profiles not kept yet of {@code deviceIds}: a batch of devices new to
   * this node would otherwise cost a query each.
   */
  void load(Collection<String> deviceIds) throws SQLException {
    List<String> unknown = deviceIds.stream().filter(id -> !profiles.containsKey(id)).toList();
    if (unknown.isEmpty()) {
      return;
    }
    try (Connection c = dataSource.getConnection()) {
      profiles.putAll(readAll(c, c.createArrayOf("text", unknown.toArray())));
    }
  }

  /**
   * A command ended; one that succeeded may have changed what the device runs. Called on the thread
   * that committed the result, so it only drops the kept profile: the diagnostics thread reads the
   * new one with the device's next input, and the engine rebinds the rules when it differs.
   */
  public void commandFinished(CommandFinished command) {
    if (command.status() == CommandStatus.SUCCEEDED) {
      profiles.remove(command.deviceId());
    }
  }

  /**
   * A device reported its firmware in an event, committed before the diagnostics thread sees it:
   * the profile is read again for that event, so rules bound by firmware follow at once.
   */
  void firmwareReported(String deviceId) {
    profiles.remove(deviceId);
  }

  /** The profiles of the devices of {@code ids} (a text array) that are provisioned. */
  static Map<String, DeviceProfile> readAll(Connection c, Array ids) throws SQLException {
    Map<String, DeviceProfile> read = new HashMap<>();
    try (PreparedStatement select =
        c.prepareStatement("SELECT id, type, model, firmware FROM devices WHERE id = ANY (?)")) {
      select.setArray(1, ids);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          read.put(rs.getString("id"), read(rs));
        }
      }
    }
    return read;
  }

  /** Reads the profile from a row with the devices table's {@code id, type, model, firmware}. */
  static DeviceProfile read(ResultSet rs) throws SQLException {
    return new DeviceProfile(
        rs.getString("id"), rs.getString("type"), rs.getString("model"), rs.getString("firmware"));
  }
}
