package io.aftercare.platform.ingest;

import java.util.Optional;

/** The kinds of document a device sends, named by the last part of their topic or path. */
public enum UplinkKind {
  TELEMETRY("telemetry"),
  EVENT("events"),
  COMMAND_RESULT("commands/result");

  private final String suffix;

  UplinkKind(String suffix) {
    this.suffix = suffix;
  }

  public String suffix() {
    return suffix;
  }

  static Optional<UplinkKind> fromSuffix(String suffix) {
    for (UplinkKind kind : values()) {
      if (kind.suffix.equals(suffix)) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }
}
