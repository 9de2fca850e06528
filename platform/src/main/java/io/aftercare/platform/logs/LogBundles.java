package io.aftercare.platform.logs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.bridge.SealedText;
import io.aftercare.platform.audit.AuditEntry;
import io.aftercare.platform.audit.AuditLog;
import io.aftercare.platform.db.Jdbc;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.vertx.core.Future;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Staff reads of devices' log bundles (docs/privacy.md, "Log bundles"): the list and the redacted
 * log for technicians, the original for a supervisor who gives a reason. Each read of a log writes
 * its audit entry in the read's transaction: no log is served without its entry.
 */
public final class LogBundles {

  /** The longest reason a supervisor may give for reading an original. */
  public static final int MAX_REASON = 500;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<LinkedHashMap<String, Integer>> COUNTS =
      new TypeReference<>() {};
  private static final String COLUMNS =
      "id, device_id, command_id, collected_at, line_count, redactions";

  private final Jdbc jdbc;
  private final SealedText sealed;

  public LogBundles(Jdbc jdbc, SealedText sealed) {
    this.jdbc = jdbc;
    this.sealed = sealed;
  }

  /** The device's bundles, newest first, without their logs. */
  public Future<List<LogBundle>> list(String deviceId, int limit) {
    return jdbc.call(
        c -> {
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + " FROM log_bundles WHERE device_id = ? ORDER BY id DESC LIMIT ?")) {
            select.setString(1, deviceId);
            select.setInt(2, limit);
            List<LogBundle> bundles = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
              while (rs.next()) {
                bundles.add(bundle(rs, null));
              }
            }
            return bundles;
          }
        });
  }

  /** The redacted bundle, read as {@code entry} says (audited {@code log_bundle.read}). */
  public Future<LogBundle> redacted(long id, AuditEntry entry) {
    return jdbc.transaction(
        c -> {
          LogBundle bundle = find(c, id, "redacted");
          AuditLog.append(c, entry.withDetail(Map.of("device", bundle.deviceId())));
          return bundle;
        });
  }

  /**
   * The original, unredacted bundle, opened from its sealed form for a supervisor: audited {@code
   * log_bundle.read_original} with the reason given, in the read's transaction.
   */
  public Future<LogBundle> original(long id, String reason, AuditEntry entry) {
    if (reason == null || reason.isBlank()) {
      throw new ServiceException(
          Failure.INVALID_INPUT, "'reason' is required: say why the original log is needed");
    }
    if (reason.length() > MAX_REASON) {
      throw new ServiceException(
          Failure.INVALID_INPUT, "'reason' must be at most " + MAX_REASON + " characters");
    }
    return jdbc.transaction(
        c -> {
          LogBundle sealedBundle = find(c, id, "original_sealed");
          AuditLog.append(
              c, entry.withDetail(Map.of("device", sealedBundle.deviceId(), "reason", reason)));
          return new LogBundle(
              sealedBundle.id(),
              sealedBundle.deviceId(),
              sealedBundle.commandId(),
              sealedBundle.collectedAt(),
              sealedBundle.lines(),
              sealedBundle.redactions(),
              sealed.open(sealedBundle.log()));
        });
  }

  /** The bundle with the log of {@code logColumn}, as stored. */
  private static LogBundle find(Connection c, long id, String logColumn) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT " + COLUMNS + ", " + logColumn + " FROM log_bundles WHERE id = ?")) {
      select.setLong(1, id);
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next()) {
          throw new ServiceException(Failure.NOT_FOUND, "no such log bundle");
        }
        return bundle(rs, rs.getString(logColumn));
      }
    }
  }

  private static LogBundle bundle(ResultSet rs, String log) throws SQLException {
    try {
      return new LogBundle(
          rs.getLong("id"),
          rs.getString("device_id"),
          rs.getString("command_id"),
          rs.getTimestamp("collected_at").toInstant(),
          rs.getInt("line_count"),
          JSON.readValue(rs.getString("redactions"), COUNTS),
          log);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a log bundle's redactions are not JSON", e);
    }
  }
}
