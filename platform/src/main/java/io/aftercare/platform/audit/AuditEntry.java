package io.aftercare.platform.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.time.Instant;
import java.util.Map;

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

  // Keys sorted so that the same facts always read the same in logs and tests.
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  /** An entry about to be written (id and time are assigned by the database). */
  public static AuditEntry of(
      String actor, String action, String target, Outcome outcome, String remoteAddress) {
    return new AuditEntry(0, null, actor, action, target, outcome, remoteAddress, null);
  }

  public AuditEntry withDetail(String json) {
    return new AuditEntry(id, ts, actor, action, target, outcome, remoteAddress, json);
  }

  /** This entry with {@code facts} as its detail, written as a JSON object by Jackson. */
  public AuditEntry withDetail(Map<String, ?> facts) {
    try {
      return withDetail(JSON.writeValueAsString(facts));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("audit detail is not serialisable: " + facts.keySet(), e);
    }
  }
}
