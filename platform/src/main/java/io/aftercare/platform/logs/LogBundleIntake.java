package io.aftercare.platform.logs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aftercare.bridge.SealedText;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * Takes in the log a device returns for {@code collect_logs} (its result's {@code output.log}):
 * stores it as a log bundle, redacted ({@link LogRedaction}) for staff and sealed for a
 * supervisor's audited request, and gives back the output to keep with the command, which names the
 * bundle instead of holding the log. Works in the result's transaction, so the command's record
 * never holds the clear log, not even for a moment.
 */
public final class LogBundleIntake {

  /** The command whose result carries a log bundle. */
  public static final String COLLECT_LOGS = "collect_logs";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SealedText sealed;

  public LogBundleIntake(SealedText sealed) {
    this.sealed = sealed;
  }

  /**
   * The output to store with the command: {@code outputJson} as it is, unless it is a {@code
   * collect_logs} result with a {@code log}, which becomes a bundle ({@code logBundleId} and the
   * {@code redactions} in its place).
   */
  public String intake(
      Connection c,
      String command,
      String commandId,
      String deviceId,
      String outputJson,
      Instant now)
      throws SQLException {
    if (!COLLECT_LOGS.equals(command) || outputJson == null) {
      return outputJson;
    }
    ObjectNode output;
    try {
      JsonNode parsed = JSON.readTree(outputJson);
      if (!parsed.isObject() || !parsed.path("log").isTextual()) {
        return outputJson;
      }
      output = (ObjectNode) parsed;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a command result's output is not JSON", e);
    }
    String log = output.remove("log").asText();
    LogRedaction.Redacted redacted = LogRedaction.redact(log);
    long bundleId = store(c, commandId, deviceId, log, redacted, now);
    output.put("logBundleId", bundleId);
    output.set("redactions", JSON.valueToTree(redacted.counts()));
    return output.toString();
  }

  /** A second result for the same command (a device repeating itself) keeps the first bundle. */
  private long store(
      Connection c,
      String commandId,
      String deviceId,
      String log,
      LogRedaction.Redacted redacted,
      Instant now)
      throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO log_bundles (device_id, command_id, collected_at, line_count, redacted,"
                + " redactions, original_sealed) VALUES (?, ?, ?, ?, ?, ?::jsonb, ?)"
                + " ON CONFLICT (command_id) DO UPDATE SET command_id = EXCLUDED.command_id"
                + " RETURNING id")) {
      insert.setString(1, deviceId);
      insert.setString(2, commandId);
      insert.setTimestamp(3, Timestamp.from(now));
      insert.setInt(4, log.isEmpty() ? 0 : (int) log.lines().count());
      insert.setString(5, redacted.text());
      insert.setString(6, JSON.valueToTree(redacted.counts()).toString());
      insert.setString(7, sealed.seal(log));
      try (ResultSet rs = insert.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
