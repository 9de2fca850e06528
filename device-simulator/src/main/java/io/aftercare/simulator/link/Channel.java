package io.aftercare.simulator.link;

/** The uplinks of docs/device-contract.md, as the path after {@code devices/{id}/}. */
public enum Channel {
  TELEMETRY("telemetry"),
  EVENTS("events"),
  COMMAND_RESULT("commands/result");

  private final String path;

  Channel(String path) {
    this.path = path;
  }

  /** {@code devices/{id}/telemetry}: an MQTT topic, and with a leading slash a CoAP path. */
  public String address(String deviceId) {
    return "devices/" + deviceId + "/" + path;
  }

  public static String commandsAddress(String deviceId) {
    return "devices/" + deviceId + "/commands";
  }
}
