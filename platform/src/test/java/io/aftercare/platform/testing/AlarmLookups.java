package io.aftercare.platform.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** Finds a device's alarms, and the home alarm that explains them, through the staff API. */
public final class AlarmLookups {

  private AlarmLookups() {}

  /** The device's alarm of {@code ruleId}, if it has one (the newest the API lists). */
  public static Optional<JsonNode> alarmOf(ApiClient api, String deviceId, String ruleId) {
    for (JsonNode alarm : api.get("/api/v1/alarms?deviceId=" + deviceId).body().get("alarms")) {
      if (alarm.get("ruleId").asText().equals(ruleId)) {
        return Optional.of(alarm);
      }
    }
    return Optional.empty();
  }

  /** The device's {@code device_offline} alarm; fails the test when it has none. */
  public static JsonNode offlineAlarm(ApiClient api, String deviceId) {
    return alarmOf(api, deviceId, "device_offline")
        .orElseThrow(() -> new AssertionError("no device_offline alarm of " + deviceId));
  }

  /** The home alarm that explains one of the device's alarms, if any. */
  public static Optional<JsonNode> homeAlarmExplaining(ApiClient api, String deviceId) {
    for (JsonNode homeAlarm : api.get("/api/v1/home-alarms").body().get("homeAlarms")) {
      for (JsonNode explained : homeAlarm.get("explains")) {
        if (explained.get("deviceId").asText().equals(deviceId)) {
          return Optional.of(homeAlarm);
        }
      }
    }
    return Optional.empty();
  }
}
