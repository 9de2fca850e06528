package io.aftercare.domain;

/**
 * A device's answer to a command.
 *
 * @param outputJson the {@code output} object as canonical JSON, or {@code null}
 */
public record CommandResult(String deviceId, String commandId, Status status, String outputJson) {

  /** What the device says happened. */
  public enum Status {
    ACCEPTED,
    SUCCEEDED,
    FAILED;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
