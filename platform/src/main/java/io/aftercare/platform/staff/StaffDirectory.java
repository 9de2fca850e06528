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
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Staff accounts and their bearer tokens.
 *
 * <p>A token reads {@code acs_<id>.<secret>}: the id finds the account without a scan, only the
 * secret's salted hash is stored. The bootstrap admin token from the configuration is checked in
 * memory and never stored.
 */
public final class StaffDirectory {

  public static final String BOOTSTRAP_ADMIN = "bootstrap-admin";
  private static final String PREFIX = "acs_";
  private static final String ACCOUNT_COLUMNS =
      "SELECT name, role, created_at, created_by, disabled_at, revoked_at FROM staff";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

  /** A newly created account with its token, which is shown this once. */
  public record IssuedToken(String name, Role role, String token) {}

  private record StoredToken(String name, Role role, byte[] salt, byte[] hash) {}

  private final Jdbc jdbc;
  private final SecretHash.Salted bootstrapAdmin;
  // Tokens verified against the database; a revoked one is dropped at once (revoke invalidates it)
  // and any other change shows within the time-to-live (0 turns caching off).
  private final Cache<String, StoredToken> cache;

  public StaffDirectory(Jdbc jdbc, String bootstrapAdminToken, Duration cacheTtl) {
    this.jdbc = jdbc;
    this.bootstrapAdmin = SecretHash.hash(bootstrapAdminToken);
    this.cache = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(cacheTtl).build();
  }

  public Future<StaffPrincipal> authenticate(String bearer) {
    if (bearer == null || bearer.isEmpty()) {
      return Future.failedFuture(unauthenticated());
    }
    if (SecretHash.matches(bearer, bootstrapAdmin.salt(), bootstrapAdmin.hash())) {
      return Future.succeededFuture(new StaffPrincipal(BOOTSTRAP_ADMIN, Role.ADMIN));
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
          cache.put(tokenId, token.get());
          return Future.succeededFuture(new StaffPrincipal(token.get().name(), token.get().role()));
        });
  }

  private Future<Optional<StoredToken>> load(String tokenId) {
    return jdbc.call(
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT name, role, token_salt, token_hash FROM staff"
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
                      rs.getBytes("token_hash")));
            }
          }
        });
  }

  /** Creates an account; the token in the result is not stored and cannot be shown again. */
  public Future<IssuedToken> create(String name, Role role, StaffPrincipal by, String from) {
    if (name == null || !NAME.matcher(name).matches() || name.equals(BOOTSTRAP_ADMIN)) {
      return Future.failedFuture(
          new ServiceException(
              Failure.INVALID_INPUT, "name must match [A-Za-z0-9._@-]{1,64} and not be reserved"));
    }
    String tokenId = SecretHash.newSecret().substring(0, 16);
    String secret = SecretHash.newSecret();
    SecretHash.Salted hashed = SecretHash.hash(secret);
    return jdbc.transaction(
            connection -> {
              try (PreparedStatement insert =
                  connection.prepareStatement(
                      "INSERT INTO staff (name, role, token_id, token_salt, token_hash, created_by)"
                          + " VALUES (?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, name);
                insert.setString(2, role.wireName());
                insert.setString(3, tokenId);
                insert.setBytes(4, hashed.salt());
                insert.setBytes(5, hashed.hash());
                insert.setString(6, by.name());
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
                      .withDetail(Map.of("role", role.wireName())));
              return new IssuedToken(name, role, PREFIX + tokenId + "." + secret);
            })
        .recover(
            error ->
                error instanceof ServiceException e && e.failure() == Failure.CONFLICT
                    ? Future.failedFuture(
                        new ServiceException(
                            Failure.CONFLICT, "staff '" + name + "' already exists"))
                    : Future.failedFuture(error));
  }

  /**
   * Whether {@code name} is an account that has not been revoked, read in the caller's transaction
   * (e.g. before a technician profile is written for it).
   */
  public static boolean isActive(Connection connection, String name) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement("SELECT 1 FROM staff WHERE name = ? AND revoked_at IS NULL")) {
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
   * node; a role change takes effect on the account's next request here.
   */
  public Future<StaffAccount> update(
      String name, Role role, Boolean disabled, StaffPrincipal by, String from) {
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
        TimestampColumn.read(rs, "revoked_at"));
  }

  private static ServiceException unauthenticated() {
    return new ServiceException(Failure.UNAUTHENTICATED, "missing or invalid bearer token");
  }
}
