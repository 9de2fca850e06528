package io.aftercare.platform.audit;

import java.time.Instant;

/**
 * One line of the append-only audit log: who did what to which target, from where, and whether it
 * was allowed.
 *
 * @param detailJson extra facts as a JSON object, or {@code null}; never secrets
 */
public record AuditEntry(
    long id,
    Instant ts,
    String actor,
    String action,
    String target,
    Outcome outcome,
    String remoteAddress,
    @com.fasterxml.jackson.annotation.JsonProperty("detail")
        @com.fasterxml.jackson.annotation.JsonRawValue
        String detailJson) {

  public enum Outcome {
    ALLOWED,
    DENIED,
    FAILED;

    @com.fasterxml.jackson.annotation.JsonValue
    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** An entry about to be written (id and time are assigned by the database). */
  public static AuditEntry of(
      String actor, String action, String target, Outcome outcome, String remoteAddress) {
    return new AuditEntry(0, null, actor, action, target, outcome, remoteAddress, null);
  }

  public AuditEntry withDetail(String json) {
    return new AuditEntry(id, ts, actor, action, target, outcome, remoteAddress, json);
  }
}
