package io.aftercare.platform.command;

/**
 * A way to reach devices with commands (MQTT, CoAP Observe). Channels pull queued commands from
 * {@link CommandService#pending} themselves when a device connects or starts listening; {@link
 * #wake} tells them new ones are waiting.
 */
public interface CommandChannel {

  /** Commands are queued for {@code deviceId}: deliver them if the device is reachable here. */
  void wake(String deviceId);
}
