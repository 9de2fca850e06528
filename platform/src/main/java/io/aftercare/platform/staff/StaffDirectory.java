package io.aftercare.platform.staff;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.aftercare.platform.audit.AuditEntry;
import io.aftercare.platform.audit.AuditLog;
import io.aftercare.platform.db.Jdbc;
import io.aftercare.platform.db.TimestampColumn;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.aftercare.platform.security.SecretHash;
import io.vertx.core.Future;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Staff accounts and their bearer tokens.
 *
 * <p>A token reads {@code acs_<id>.<secret>}: the id finds the account without a scan, only the
 * secret's salted hash is stored. Every token expires ({@code security.staffTokenLifetime}) and can
 * be rotated: a new one replaces it at once. The bootstrap admin token from the configuration is
 * checked in memory and never stored; it can be disabled for good once another admin exists (the
 * mark is kept in the database, so it survives restarts).
 */
public final class StaffDirectory {

  public static final String BOOTSTRAP_ADMIN = "bootstrap-admin";
  private static final String PREFIX = "acs_";
  private static final String ACCOUNT_COLUMNS =
      "SELECT name, role, created_at, created_by, disabled_at, revoked_at, token_expires_at"
          + " FROM staff";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

  /**
   * Names the platform itself writes as the actor of audit entries and ticket timelines (its
   * engines, the bridge, unauthenticated callers), compared ignoring case: a member of staff named
   * like one could pass their actions off as the platform's. Actors with a colon ({@code device:},
   * {@code helpdesk:}, {@code bulk:}, {@code system:archive}) cannot be staff names anyway.
   */
  static final Set<String> RESERVED_NAMES =
      Set.of(
          BOOTSTRAP_ADMIN,
          "diagnostics-engine",
          "bridge",
          "system",
          "anonymous",
          "customer",
          "escalation",
          "helpdesk",
          "device",
          "unknown",
          "platform");

  /** A newly issued token, shown this once. */
  public record IssuedToken(String name, Role role, String token, Instant expiresAt) {}

  private record StoredToken(String name, Role role, byte[] salt, byte[] hash, Instant expiresAt) {}

  private final Jdbc jdbc;
  private final Clock clock;
  private final Duration tokenLifetime;
  private final SecretHash.Salted bootstrapAdmin;
  private volatile boolean bootstrapAdminDisabled;
  // Tokens verified against the database; a revoked one is dropped at once (revoke invalidates it)
  // and any other change shows within the time-to-live (0 turns caching off).
  private final Cache<String, StoredToken> cache;

  public StaffDirectory(
      Jdbc jdbc,
      String bootstrapAdminToken,
      Duration cacheTtl,
      Duration tokenLifetime,
      Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.tokenLifetime = tokenLifetime;
    this.bootstrapAdmin = SecretHash.hash(bootstrapAdminToken);
    this.cache = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(cacheTtl).build();
  }

  /**
   * Reads whether the bootstrap admin is disabled; with {@code reenable}, an operator locked out of
   * the API enables it again (audited as {@code bootstrap-admin.reenable} by {@code system}).
   * Called once at start, before the API listens.
   */
  public Future<Void> loadBootstrapAdmin(boolean reenable) {
    return jdbc.transaction(
        connection -> {
          if (reenable) {
            try (PreparedStatement delete =
                connection.prepareStatement("DELETE FROM bootstrap_admin_disabled")) {
              if (delete.executeUpdate() > 0) {
                AuditLog.append(
                    connection,
                    AuditEntry.of(
                        "system",
                        "bootstrap-admin.reenable",
                        "staff/" + BOOTSTRAP_ADMIN,
                        AuditEntry.Outcome.ALLOWED,
                        null));
              }
            }
          }
          try (PreparedStatement select =
                  connection.prepareStatement("SELECT 1 FROM bootstrap_admin_disabled");
              ResultSet rs = select.executeQuery()) {
            bootstrapAdminDisabled = rs.next();
          }
          return null;
        });
  }

  public Future<StaffPrincipal> authenticate(String bearer) {
    if (bearer == null || bearer.isEmpty()) {
      return Future.failedFuture(unauthenticated());
    }
    if (SecretHash.matches(bearer, bootstrapAdmin.salt(), bootstrapAdmin.hash())) {
      return bootstrapAdminDisabled
          ? Future.failedFuture(
              new ServiceException(
                  Failure.UNAUTHENTICATED, "the bootstrap admin token has been disabled"))
          : Future.succeededFuture(new StaffPrincipal(BOOTSTRAP_ADMIN, Role.ADMIN));
    }
    if (!bearer.startsWith(PREFIX) || bearer.indexOf('.') < 0) {
      return Future.failedFuture(unauthenticated());
    }
    String tokenId = bearer.substring(PREFIX.length(), bearer.indexOf('.'));
    String secret = bearer.substring(bearer.indexOf('.') + 1);
    Optional<StoredToken> cached = Optional.ofNullable(cache.getIfPresent(tokenId));
    Future<Optional<StoredToken>> stored =
        cached.isPresent() ? Future.succeededFuture(cached) : load(tokenId);
    return stored.compose(
        token -> {
          if (token.isEmpty()
              || !SecretHash.matches(secret, token.get().salt(), token.get().hash())) {
            return Future.failedFuture(unauthenticated());
          }
          if (!token.get().expiresAt().isAfter(clock.instant())) {
            return Future.failedFuture(
                new ServiceException(
                    Failure.UNAUTHENTICATED, "staff token expired: ask an admin for a new one"));
          }
          cache.put(tokenId, token.get());
          return Future.succeededFuture(new StaffPrincipal(token.get().name(), token.get().role()));
        });
  }

  private Future<Optional<StoredToken>> load(String tokenId) {
    return jdbc.call(
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT name, role, token_salt, token_hash, token_expires_at FROM staff"
                      + " WHERE token_id = ? AND revoked_at IS NULL AND disabled_at IS NULL")) {
            select.setString(1, tokenId);
            try (ResultSet rs = select.executeQuery()) {
              if (!rs.next()) {
                return Optional.empty();
              }
              return Optional.of(
                  new StoredToken(
                      rs.getString("name"),
                      Role.fromWireName(rs.getString("role")).orElseThrow(),
                      rs.getBytes("token_salt"),
                      rs.getBytes("token_hash"),
                      TimestampColumn.read(rs, "token_expires_at")));
            }
          }
        });
  }

  /** Creates an account; the token in the result is not stored and cannot be shown again. */
  public Future<IssuedToken> create(String name, Role role, StaffPrincipal by, String from) {
    if (name == null || !NAME.matcher(name).matches()) {
      return Future.failedFuture(
          new ServiceException(Failure.INVALID_INPUT, "name must match [A-Za-z0-9._@-]{1,64}"));
    }
    if (RESERVED_NAMES.contains(name.toLowerCase(Locale.ROOT))) {
      return Future.failedFuture(
          new ServiceException(
              Failure.INVALID_INPUT,
              "name '" + name + "' is reserved for the platform's own actions"));
    }
    NewToken token = NewToken.generate(clock, tokenLifetime);
    return jdbc.transaction(
            connection -> {
              try (PreparedStatement insert =
                  connection.prepareStatement(
                      "INSERT INTO staff (name, role, token_id, token_salt, token_hash, created_by,"
                          + " token_issued_at, token_expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, name);
                insert.setString(2, role.wireName());
                insert.setString(3, token.id());
                insert.setBytes(4, token.hashed().salt());
                insert.setBytes(5, token.hashed().hash());
                insert.setString(6, by.name());
                insert.setTimestamp(7, Timestamp.from(token.issuedAt()));
                insert.setTimestamp(8, Timestamp.from(token.expiresAt()));
                insert.executeUpdate();
              }
              AuditLog.append(
                  connection,
                  AuditEntry.of(
                          by.name(),
                          "staff.create",
                          "staff/" + name,
                          AuditEntry.Outcome.ALLOWED,
                          from)
                      .withDetail(
                          Map.of(
                              "role", role.wireName(), "expiresAt", token.expiresAt().toString())));
              return new IssuedToken(name, role, token.bearer(), token.expiresAt());
            })
        .recover(
            error ->
                error instanceof ServiceException e && e.failure() == Failure.CONFLICT
                    ? Future.failedFuture(
                        new ServiceException(
                            Failure.CONFLICT, "staff '" + name + "' already exists"))
                    : Future.failedFuture(error));
  }

  /** A token about to be stored: its public id, the hash of its secret, and the bearer value. */
  private record NewToken(
      String id, SecretHash.Salted hashed, String bearer, Instant issuedAt, Instant expiresAt) {
    static NewToken generate(Clock clock, Duration lifetime) {
      String id = SecretHash.newSecret().substring(0, 16);
      String secret = SecretHash.newSecret();
      // Milliseconds, which PostgreSQL keeps exactly: the answer and later reads agree.
      Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
      return new NewToken(
          id, SecretHash.hash(secret), PREFIX + id + "." + secret, now, now.plus(lifetime));
    }
  }

  /**
   * Issues a new token for an account that has not been revoked; the old one stops working at once
   * on this node, and the account's console sessions end (they may be a thief's). Audited as {@code
   * staff.token.rotate}.
   */
  public Future<IssuedToken> rotate(String name, StaffPrincipal by, String from) {
    NewToken token = NewToken.generate(clock, tokenLifetime);
    return jdbc.<Rotated>transaction(
            connection -> {
              String oldTokenId;
              Role role;
              try (PreparedStatement select =
                  connection.prepareStatement(
                      "SELECT token_id, role FROM staff WHERE name = ? AND revoked_at IS NULL"
                          + " FOR UPDATE")) {
                select.setString(1, name);
                try (ResultSet rs = select.executeQuery()) {
                  if (!rs.next()) {
                    throw new ServiceException(Failure.NOT_FOUND, "no active staff '" + name + "'");
                  }
                  oldTokenId = rs.getString("token_id");
                  role = Role.fromWireName(rs.getString("role")).orElseThrow();
                }
              }
              try (PreparedStatement update =
                  connection.prepareStatement(
                      "UPDATE staff SET token_id = ?, token_salt = ?, token_hash = ?,"
                          + " token_issued_at = ?, token_expires_at = ? WHERE name = ?")) {
                update.setString(1, token.id());
                update.setBytes(2, token.hashed().salt());
                update.setBytes(3, token.hashed().hash());
                update.setTimestamp(4, Timestamp.from(token.issuedAt()));
                update.setTimestamp(5, Timestamp.from(token.expiresAt()));
                update.setString(6, name);
                update.executeUpdate();
              }
              endSessions(connection, name);
              AuditLog.append(
                  connection,
                  AuditEntry.of(
                          by.name(),
                          "staff.token.rotate",
                          "staff/" + name,
                          AuditEntry.Outcome.ALLOWED,
                          from)
                      .withDetail(Map.of("expiresAt", token.expiresAt().toString())));
              return new Rotated(
                  new IssuedToken(name, role, token.bearer(), token.expiresAt()), oldTokenId);
            })
        // After the commit, not before: a request in between would cache the old row again.
        .onSuccess(rotated -> cache.invalidate(rotated.oldTokenId()))
        .map(Rotated::issued);
  }

  private record Rotated(IssuedToken issued, String oldTokenId) {}

  /**
   * Disables the bootstrap admin token for good (until an operator re-enables it at start, see
   * {@link #loadBootstrapAdmin}); refused with 409 unless an enabled admin account exists, so the
   * API is never left without an admin. Its console sessions end. Audited as {@code
   * bootstrap-admin.disable}.
   */
  public Future<Void> disableBootstrapAdmin(StaffPrincipal by, String from) {
    return jdbc.<Void>transaction(
            connection -> {
              try (PreparedStatement select =
                  connection.prepareStatement(
                      "SELECT 1 FROM staff WHERE role = 'admin' AND revoked_at IS NULL"
                          + " AND disabled_at IS NULL AND token_expires_at > ? LIMIT 1")) {
                select.setTimestamp(1, Timestamp.from(clock.instant()));
                try (ResultSet rs = select.executeQuery()) {
                  if (!rs.next()) {
                    throw new ServiceException(
                        Failure.CONFLICT,
                        "create another admin first: the bootstrap admin is the only one");
                  }
                }
              }
              try (PreparedStatement insert =
                  connection.prepareStatement(
                      "INSERT INTO bootstrap_admin_disabled (disabled_at, disabled_by)"
                          + " VALUES (now(), ?) ON CONFLICT DO NOTHING")) {
                insert.setString(1, by.name());
                if (insert.executeUpdate() == 0) {
                  throw new ServiceException(
                      Failure.NOT_FOUND, "the bootstrap admin is already disabled");
                }
              }
              endSessions(connection, BOOTSTRAP_ADMIN);
              AuditLog.append(
                  connection,
                  AuditEntry.of(
                      by.name(),
                      "bootstrap-admin.disable",
                      "staff/" + BOOTSTRAP_ADMIN,
                      AuditEntry.Outcome.ALLOWED,
                      from));
              return null;
            })
        .onSuccess(v -> bootstrapAdminDisabled = true);
  }

  private static void endSessions(Connection connection, String name) throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE staff_sessions SET ended_at = now() WHERE staff_name = ? AND ended_at IS NULL")) {
      update.setString(1, name);
      update.executeUpdate();
    }
  }

  /**
   * Whether {@code name} is an account that has not been revoked, read in the caller's transaction
   * (e.g. before a technician profile is written for it).
   */
  public static boolean isActive(Connection connection, String name) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT 1 FROM staff WHERE name = ? AND revoked_at IS NULL AND disabled_at IS NULL")) {
      select.setString(1, name);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next();
      }
    }
  }

  /**
   * Whether {@code name} is an account that can work now (neither disabled nor revoked), read in
   * the caller's transaction (e.g. before an alarm is assigned to it).
   */
  public static boolean isEnabled(Connection connection, String name) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT 1 FROM staff WHERE name = ? AND revoked_at IS NULL AND disabled_at IS NULL")) {
      select.setString(1, name);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next();
      }
    }
  }

  /**
   * Revokes an account's token; it stops working at once on this node. {@code alsoCommit} runs in
   * the same transaction (e.g. taking the account's technician profile out of dispatch).
   */
  public Future<Void> revoke(
      String name, StaffPrincipal by, String from, Jdbc.Work<Void> alsoCommit) {
    return jdbc.transaction(
        connection -> {
          String tokenId;
          try (PreparedStatement update =
              connection.prepareStatement(
                  "UPDATE staff SET revoked_at = now() WHERE name = ? AND revoked_at IS NULL"
                      + " RETURNING token_id")) {
            update.setString(1, name);
            try (ResultSet rs = update.executeQuery()) {
              if (!rs.next()) {
                throw new ServiceException(Failure.NOT_FOUND, "no active staff '" + name + "'");
              }
              tokenId = rs.getString("token_id");
            }
          }
          AuditLog.append(
              connection,
              AuditEntry.of(
                  by.name(), "staff.revoke", "staff/" + name, AuditEntry.Outcome.ALLOWED, from));
          alsoCommit.run(connection);
          cache.invalidate(tokenId);
          return null;
        });
  }

  /** Every account, revoked ones included (they stay for the audit trail), by name. */
  public Future<List<StaffAccount>> list() {
    return jdbc.call(
        connection -> {
          try (PreparedStatement select =
                  connection.prepareStatement(ACCOUNT_COLUMNS + " ORDER BY name");
              ResultSet rs = select.executeQuery()) {
            List<StaffAccount> accounts = new ArrayList<>();
            while (rs.next()) {
              accounts.add(account(rs));
            }
            return accounts;
          }
        });
  }

  /**
   * Changes an active account's role and whether it is disabled (either may be null: unchanged),
   * audited as {@code staff.update} with the changes. A disabled token is refused at once on this
   * node; a role change takes effect on the account's next request here. {@code onDisable} runs in
   * the same transaction when the account is disabled (e.g. taking its technician profile out of
   * dispatch).
   */
  public Future<StaffAccount> update(
      String name,
      Role role,
      Boolean disabled,
      StaffPrincipal by,
      String from,
      Jdbc.Work<Void> onDisable) {
    if (role == null && disabled == null) {
      return Future.failedFuture(
          new ServiceException(Failure.INVALID_INPUT, "give role, disabled or both"));
    }
    if (name.equals(by.name()) && Boolean.TRUE.equals(disabled)) {
      return Future.failedFuture(
          new ServiceException(Failure.CONFLICT, "an admin cannot disable their own account"));
    }
    return jdbc.<Updated>transaction(
            connection -> {
              String tokenId;
              try (PreparedStatement update =
                  connection.prepareStatement(
                      "UPDATE staff SET role = COALESCE(?, role), disabled_at = CASE"
                          + " WHEN ? IS NULL THEN disabled_at WHEN ? THEN COALESCE(disabled_at, now())"
                          + " ELSE NULL END WHERE name = ? AND revoked_at IS NULL RETURNING token_id")) {
                update.setString(1, role == null ? null : role.wireName());
                update.setObject(2, disabled, java.sql.Types.BOOLEAN);
                update.setObject(3, disabled, java.sql.Types.BOOLEAN);
                update.setString(4, name);
                try (ResultSet rs = update.executeQuery()) {
                  if (!rs.next()) {
                    throw new ServiceException(Failure.NOT_FOUND, "no active staff '" + name + "'");
                  }
                  tokenId = rs.getString("token_id");
                }
              }
              Map<String, Object> changes = new LinkedHashMap<>();
              if (role != null) {
                changes.put("role", role.wireName());
              }
              if (disabled != null) {
                changes.put("disabled", disabled);
              }
              AuditLog.append(
                  connection,
                  AuditEntry.of(
                          by.name(),
                          "staff.update",
                          "staff/" + name,
                          AuditEntry.Outcome.ALLOWED,
                          from)
                      .withDetail(changes));
              if (Boolean.TRUE.equals(disabled)) {
                onDisable.run(connection);
              }
              try (PreparedStatement select =
                  connection.prepareStatement(ACCOUNT_COLUMNS + " WHERE name = ?")) {
                select.setString(1, name);
                try (ResultSet rs = select.executeQuery()) {
                  rs.next();
                  return new Updated(account(rs), tokenId);
                }
              }
            })
        // After the commit, not before: a request in between would cache the old row again.
        .onSuccess(updated -> cache.invalidate(updated.tokenId()))
        .map(Updated::account);
  }

  private record Updated(StaffAccount account, String tokenId) {}

  private static StaffAccount account(ResultSet rs) throws SQLException {
    return new StaffAccount(
        rs.getString("name"),
        rs.getString("role"),
        TimestampColumn.read(rs, "created_at"),
        rs.getString("created_by"),
        TimestampColumn.read(rs, "disabled_at"),
        TimestampColumn.read(rs, "revoked_at"),
        TimestampColumn.read(rs, "token_expires_at"));
  }

  private static ServiceException unauthenticated() {
    return new ServiceException(Failure.UNAUTHENTICATED, "missing or invalid bearer token");
  }
}
