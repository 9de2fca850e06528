package io.aftercare.platform.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A bulk command as staff see it.
 *
 * @param status {@code dispatching} while targets wait for their command, then {@code done}
 * @param submitted targets dispatched so far: their command submitted, or refused
 * @param filter the fleet filters it was submitted with
 * @param results each target's outcome, by device id; null in lists
 */
public record BulkCommand(
    String id,
    String status,
    int total,
    int submitted,
    String command,
    JsonNode params,
    Map<String, String> filter,
    String createdBy,
    Instant createdAt,
    Instant finishedAt,
    List<TargetResult> results) {

  public static final String DISPATCHING = "dispatching";
  public static final String DONE = "done";

  /** Not dispatched yet. */
  public static final String PENDING = "pending";

  /** The device refused the command when it was dispatched; {@code error} says why. */
  public static final String REFUSED = "refused";

  /**
   * One target: its command and that command's current status, or {@link #PENDING}, or {@link
   * #REFUSED} with the error.
   */
  public record TargetResult(String deviceId, String commandId, String status, String error) {}

  /**
   * This batch as staff read it: its parameters with secret values masked, its filter with the
   * personal values opened (they are sealed at rest).
   */
  BulkCommand asShown(JsonNode shownParams, Map<String, String> shownFilter) {
    return new BulkCommand(
        id,
        status,
        total,
        submitted,
        command,
        shownParams,
        shownFilter,
        createdBy,
        createdAt,
        finishedAt,
        results);
  }

  BulkCommand withResults(List<TargetResult> targets) {
    return new BulkCommand(
        id,
        status,
        total,
        submitted,
        command,
        params,
        filter,
        createdBy,
        createdAt,
        finishedAt,
        targets);
  }
}
