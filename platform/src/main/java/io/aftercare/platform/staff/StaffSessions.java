package io.aftercare.platform.staff;

import io.aftercare.platform.audit.AuditEntry;
import io.aftercare.platform.audit.AuditLog;
import io.aftercare.platform.db.Jdbc;
import io.aftercare.platform.db.TimestampColumn;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Console sign-in sessions, kept in PostgreSQL so that a restart (or another process) keeps them.
 *
 * <p>The cookie value is 32 random bytes (base64url); only their SHA-256 is stored. The CSRF token
 * is not stored at all: it is {@code base64url(HMAC-SHA256(serverKey, "aftercare-csrf:v1:" +
 * cookie))}, so it can be handed out again ({@code GET /session}) and checked without a column, and
 * nobody without the server key can compute it from a stolen cookie hash.
 *
 * <p>Every request reads the session and its staff row: a role change applies to the next request,
 * and a disabled or revoked account's sessions are ended by a database trigger in the same
 * transaction (V75).
 */
public final class StaffSessions {

  /** How often the last use is written back: a busy console does not write on every request. */
  private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

  /** Ended or expired sessions are kept this long after their absolute end, then deleted. */
  private static final Duration KEEP_ENDED = Duration.ofDays(30);

  private static final String CSRF_CONTEXT = "aftercare-csrf:v1:";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  /**
   * A live session.
   *
   * @param id the row's public handle (audit, live streams); not the secret
   */
  public record Session(long id, StaffPrincipal staff, String csrfToken, Instant expiresAt) {}

  /** A session just started, with the cookie value that is handed out this once. */
  public record Started(Session session, String cookieValue) {}

  private final Jdbc jdbc;
  private final SecretKeySpec csrfKey;
  private final Duration idleTimeout;
  private final Duration maxAge;
  private final Clock clock;

  public StaffSessions(
      Jdbc jdbc, byte[] serverKey, Duration idleTimeout, Duration maxAge, Clock clock) {
    this.jdbc = jdbc;
    this.csrfKey = new SecretKeySpec(serverKey, "HmacSHA256");
    this.idleTimeout = idleTimeout;
    this.maxAge = maxAge;
    this.clock = clock;
  }

  /** Starts a session for {@code staff}, audited as {@code session.start}. */
  public Future<Started> start(StaffPrincipal staff, String from) {
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    String cookieValue = BASE64URL.encodeToString(secret);
    // Milliseconds, which PostgreSQL keeps exactly: the answer and later reads agree.
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    Instant expiresAt = now.plus(maxAge);
    return jdbc.transaction(
        connection -> {
          purgeOld(connection, now);
          long id;
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO staff_sessions (id_hash, staff_name, created_at, last_seen_at,"
                      + " idle_expires_at, expires_at, created_from) VALUES (?, ?, ?, ?, ?, ?, ?)"
                      + " RETURNING id")) {
            insert.setBytes(1, sha256(cookieValue));
            insert.setString(2, staff.name());
            insert.setTimestamp(3, Timestamp.from(now));
            insert.setTimestamp(4, Timestamp.from(now));
            insert.setTimestamp(5, Timestamp.from(earliest(now.plus(idleTimeout), expiresAt)));
            insert.setTimestamp(6, Timestamp.from(expiresAt));
            insert.setString(7, from);
            try (ResultSet rs = insert.executeQuery()) {
              rs.next();
              id = rs.getLong(1);
            }
          }
          AuditLog.append(
              connection,
              AuditEntry.of(
                      staff.name(),
                      "session.start",
                      "staff/" + staff.name(),
                      AuditEntry.Outcome.ALLOWED,
                      from)
                  .withDetail(Map.of("session", id, "expiresAt", expiresAt.toString())));
          return new Started(
              new Session(id, staff, csrfToken(cookieValue), expiresAt), cookieValue);
        });
  }

  /**
   * The live session the cookie names: not ended, not idle too long, not past its absolute end, its
   * staff member neither disabled nor revoked. Records the use (at most once a minute).
   */
  public Future<Optional<Session>> find(String cookieValue) {
    if (cookieValue == null || cookieValue.isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    byte[] hash = sha256(cookieValue);
    Instant now = clock.instant();
    return jdbc.call(
        connection -> {
          Optional<Session> session;
          Instant lastSeen;
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT s.id, s.staff_name, s.last_seen_at, s.expires_at, st.role"
                      + " FROM staff_sessions s LEFT JOIN staff st ON st.name = s.staff_name"
                      + " AND st.disabled_at IS NULL AND st.revoked_at IS NULL"
                      + " WHERE s.id_hash = ? AND s.ended_at IS NULL"
                      + " AND s.idle_expires_at > ? AND s.expires_at > ?")) {
            select.setBytes(1, hash);
            select.setTimestamp(2, Timestamp.from(now));
            select.setTimestamp(3, Timestamp.from(now));
            try (ResultSet rs = select.executeQuery()) {
              if (!rs.next()) {
                return Optional.empty();
              }
              Optional<Role> role = role(rs.getString("staff_name"), rs.getString("role"));
              if (role.isEmpty()) {
                return Optional.empty();
              }
              lastSeen = TimestampColumn.read(rs, "last_seen_at");
              session =
                  Optional.of(
                      new Session(
                          rs.getLong("id"),
                          new StaffPrincipal(rs.getString("staff_name"), role.get()),
                          csrfToken(cookieValue),
                          TimestampColumn.read(rs, "expires_at")));
            }
          }
          if (lastSeen.plus(TOUCH_INTERVAL).isBefore(now)) {
            touch(connection, session.get(), now);
          }
          return session;
        });
  }

  /** Ends the session, audited as {@code session.end}. */
  public Future<Void> end(Session session, String from) {
    return jdbc.transaction(
        connection -> {
          try (PreparedStatement update =
              connection.prepareStatement(
                  "UPDATE staff_sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL")) {
            update.setTimestamp(1, Timestamp.from(clock.instant()));
            update.setLong(2, session.id());
            update.executeUpdate();
          }
          AuditLog.append(
              connection,
              AuditEntry.of(
                      session.staff().name(),
                      "session.end",
                      "staff/" + session.staff().name(),
                      AuditEntry.Outcome.ALLOWED,
                      from)
                  .withDetail(Map.of("session", session.id())));
          return null;
        });
  }

  /**
   * The staff member's role: the bootstrap admin is not a row of staff (and is always admin); any
   * other name needs its row, which the query only joins while the account is active.
   */
  private static Optional<Role> role(String staffName, String storedRole) {
    if (StaffDirectory.BOOTSTRAP_ADMIN.equals(staffName)) {
      return Optional.of(Role.ADMIN);
    }
    return storedRole == null ? Optional.empty() : Role.fromWireName(storedRole);
  }

  private void touch(Connection connection, Session session, Instant now) throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE staff_sessions SET last_seen_at = ?, idle_expires_at = LEAST(?, expires_at)"
                + " WHERE id = ?")) {
      update.setTimestamp(1, Timestamp.from(now));
      update.setTimestamp(2, Timestamp.from(now.plus(idleTimeout)));
      update.setLong(3, session.id());
      update.executeUpdate();
    }
  }

  private static void purgeOld(Connection connection, Instant now) throws SQLException {
    try (PreparedStatement delete =
        connection.prepareStatement("DELETE FROM staff_sessions WHERE expires_at < ?")) {
      delete.setTimestamp(1, Timestamp.from(now.minus(KEEP_ENDED)));
      delete.executeUpdate();
    }
  }

  private String csrfToken(String cookieValue) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(csrfKey);
      return BASE64URL.encodeToString(
          mac.doFinal((CSRF_CONTEXT + cookieValue).getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  private static byte[] sha256(String cookieValue) {
    try {
      return MessageDigest.getInstance("SHA-256")
          .digest(cookieValue.getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static Instant earliest(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
