package io.aftercare.diagnostics;

/**
 * What happened to a device's link to the platform. Only a link that broke counts towards
 * connection flapping: a battery device that wakes, connects, reports and disconnects cleanly is
 * working as designed.
 */
public enum LinkChange {
  /** The device connected (or, without connections, reported again after being offline). */
  CONNECTED,
  /**
   * The link ended as intended: the device said goodbye (MQTT DISCONNECT), the platform stopped, or
   * a connectionless device's report became overdue (absence rules watch that, not flapping).
   */
  ENDED,
  /** The link broke: closed without DISCONNECT, keep-alive expired, or taken over by a new one. */
  DROPPED;

  public boolean online() {
    return this == CONNECTED;
  }
}
