package io.aftercare.platform.consent;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a command does in the owner's home, as the catalog's {@code class} says for each command and
 * each setting of {@code set_config}. Every class but {@link #DIAGNOSTICS} changes something the
 * owner lives with, so staff may send such a command only under an owner's support session covering
 * the device and the class (docs/privacy.md, "Support sessions").
 */
public enum CommandClass {
  /** Read-only: self-tests, log collection, blinking the LED. */
  DIAGNOSTICS,
  /** The device restarts: a lock or camera is out of service meanwhile. */
  RESTART,
  /** The home network connection: reset, SSID and passphrase. */
  NETWORK,
  /** Comfort settings: setpoints, reporting, eco mode, a plug's relay. */
  SETTINGS,
  /** A door lock's access: its keypad PIN and auto-lock. */
  LOCK,
  /** A camera's detection. */
  CAMERA,
  /** The firmware the device runs. */
  FIRMWARE;

  /** Whether staff need the owner's consent to send a command of this class. */
  public boolean needsConsent() {
    return this != DIAGNOSTICS;
  }

  /** Lower case on the wire, like every other enum of the API. */
  @com.fasterxml.jackson.annotation.JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<CommandClass> fromWire(String name) {
    return Arrays.stream(values()).filter(c -> c.wireName().equals(name)).findFirst();
  }

  /** The classes an owner can grant: all but read-only diagnostics. */
  public static List<CommandClass> grantable() {
    return Arrays.stream(values()).filter(CommandClass::needsConsent).toList();
  }
}
