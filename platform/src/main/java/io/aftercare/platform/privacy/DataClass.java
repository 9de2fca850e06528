package io.aftercare.platform.privacy;

import java.util.Locale;

/** How much protection a kind of data needs (docs/privacy.md). */
public enum DataClass {
  /** Personal data, or data revealing a household's habits: sealed or audited on read. */
  SENSITIVE,
  /** Operational data about a device, not about a person. */
  GENERAL,
  /** Product facts anyone may know. */
  PUBLIC;

  /** The name used in docs and audit entries. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
