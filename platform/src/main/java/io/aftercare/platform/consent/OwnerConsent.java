package io.aftercare.platform.consent;

import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.aftercare.platform.staff.StaffPrincipal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The command side of support sessions (docs/privacy.md, "Support sessions"): which of the owner's
 * sessions lets a staff command through, the record of each command sent under one (the session's
 * activity), and the commands still undelivered whose session has ended. Works in the caller's
 * transaction; the time is the service desk's clock, the one the owner's links and sessions run on.
 */
public final class OwnerConsent {

  /** The problem {@code type} of a command refused for want of the owner's consent. */
  public static final String CONSENT_REQUIRED = "urn:aftercare:problem:owner-consent-required";

  /**
   * Whether the case link that granted session {@code s} has been revoked by staff: the consent
   * came through that link, so it ends with it (the link's expiry bounds the session already).
   */
  static final String LINK_REVOKED =
      "EXISTS (SELECT 1 FROM customer_links l WHERE l.id = s.link_id AND l.revoked_at IS NOT NULL)";

  private final Clock clock;
  private final boolean required;

  /**
   * @param clock the service desk's clock
   * @param required {@code commands.requireOwnerConsent}: false only for fleets without owners
   */
  public OwnerConsent(Clock clock, boolean required) {
    this.clock = clock;
    this.required = required;
  }

  /** Whether a staff command of {@code commandClass} needs an owner's session here. */
  public boolean needed(CommandClass commandClass) {
    return required && commandClass.needsConsent();
  }

  /**
   * The owner's session that lets a command of {@code commandClass} reach {@code deviceId} now; the
   * row is share-locked so that a revocation waits for the command's transaction, then withdraws
   * the command ({@link #commandsLeftWithout}).
   */
  public Optional<String> activeSession(Connection c, String deviceId, CommandClass commandClass)
      throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT s.id FROM support_sessions s"
                + " JOIN support_session_devices d ON d.session_id = s.id"
                + " WHERE d.device_id = ? AND ? = ANY (s.command_classes)"
                + " AND s.revoked_at IS NULL AND s.granted_at <= ? AND s.expires_at > ?"
                + " AND NOT "
                + LINK_REVOKED
                + " ORDER BY s.expires_at DESC, s.id LIMIT 1 FOR SHARE OF s")) {
      Timestamp now = Timestamp.from(clock.instant());
      select.setString(1, deviceId);
      select.setString(2, commandClass.wireName());
      select.setTimestamp(3, now);
      select.setTimestamp(4, now);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  /** The refusal of a command that no session of the owner covers. */
  public static ServiceException required(String deviceId, CommandClass commandClass) {
    return new ServiceException(
        Failure.FORBIDDEN,
        "a "
            + commandClass.wireName()
            + " command needs the owner's consent: no active support session covers "
            + deviceId
            + " for "
            + commandClass.wireName(),
        CONSENT_REQUIRED,
        Map.of("deviceId", deviceId, "commandClass", commandClass.wireName()));
  }

  /**
   * Records a command sent under {@code sessionId}: the owner reads it as the session's activity.
   */
  public void recordCommand(
      Connection c,
      String sessionId,
      String deviceId,
      String commandId,
      String command,
      CommandClass commandClass,
      StaffPrincipal by)
      throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO support_session_actions (session_id, at, actor, actor_role, device_id,"
                + " command_id, command, command_class) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, sessionId);
      insert.setTimestamp(2, Timestamp.from(clock.instant()));
      insert.setString(3, by.name());
      insert.setString(4, by.role().wireName());
      insert.setString(5, deviceId);
      insert.setString(6, commandId);
      insert.setString(7, command);
      insert.setString(8, commandClass.wireName());
      insert.executeUpdate();
    }
  }

  /**
   * Commands sent under a session that has since expired or been revoked and not yet delivered
   * (queued, or awaiting a second approver), locked for the caller to withdraw: for {@code
   * deviceId} about to receive its commands, waiting for a sweep that holds one (so that none is
   * delivered while the sweep withdraws it); for every device ({@code deviceId} null, the sweep),
   * skipping those another transaction holds.
   */
  public List<String> commandsLeftWithout(Connection c, String deviceId, int limit)
      throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT cm.id FROM support_session_actions a"
                + " JOIN support_sessions s ON s.id = a.session_id"
                + " JOIN commands cm ON cm.id = a.command_id"
                + " WHERE cm.status IN ('queued', 'awaiting_approval')"
                + " AND (s.revoked_at IS NOT NULL OR s.expires_at <= ? OR "
                + LINK_REVOKED
                + ")"
                + " AND (?::text IS NULL OR cm.device_id = ?)"
                + " ORDER BY cm.seq LIMIT ? FOR UPDATE OF cm"
                + (deviceId == null ? " SKIP LOCKED" : ""))) {
      select.setTimestamp(1, Timestamp.from(clock.instant()));
      select.setString(2, deviceId);
      select.setString(3, deviceId);
      select.setInt(4, limit);
      List<String> ids = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
      return ids;
    }
  }
}
