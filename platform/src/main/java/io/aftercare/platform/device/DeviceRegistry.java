package io.aftercare.platform.device;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.aftercare.bridge.SealedText;
import io.aftercare.domain.Identifiers;
import io.aftercare.platform.audit.AuditEntry;
import io.aftercare.platform.audit.AuditLog;
import io.aftercare.platform.db.Jdbc;
import io.aftercare.platform.db.TimestampColumn;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.aftercare.platform.privacy.SealedDeviceColumn;
import io.aftercare.platform.security.DeviceTokens;
import io.aftercare.platform.security.SecretHash;
import io.aftercare.platform.sessions.HealthScore;
import io.aftercare.platform.staff.StaffPrincipal;
import io.vertx.core.Future;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Provisioned devices: creating them, checking their credentials, reading them. */
public final class DeviceRegistry {

  private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]{0,31}");
  private static final int MAX_ATTRIBUTE = 128;
  private static final java.util.List<String> CUSTOMER_TIERS =
      java.util.List.of("standard", "premium", "vip");

  /**
   * A device just provisioned or given a new token, with its token and its DTLS key shown this
   * once.
   */
  public record Provisioned(String id, String token, String dtlsKey) {}

  /**
   * A device's stored token hash, whether it is out of service (then it connects no more), its own
   * transport policy ({@code null}: the fleet's), and whether it was handed a DTLS key (false only
   * for devices provisioned before DTLS keys existed and not rotated since).
   */
  private record Credential(
      byte[] salt,
      byte[] hash,
      boolean decommissioned,
      DeviceTransport transport,
      boolean hasDtlsKey) {}

  private final Jdbc jdbc;
  private final DeviceTokens tokens;
  // Customer references and home ids are personal data, sealed at rest (docs/privacy.md).
  private final SealedText sealed;
  private final DeviceCredentialPolicy policy;
  // Credentials verified against the database: a reconnect storm then costs no database round trip
  // per device, and a revoked token stops working within the time-to-live (0 turns caching off).
  private final Cache<String, Credential> credentials;

  public DeviceRegistry(
      Jdbc jdbc,
      DeviceTokens tokens,
      SealedText sealed,
      Duration cacheTtl,
      DeviceCredentialPolicy policy) {
    this.jdbc = jdbc;
    this.tokens = tokens;
    this.sealed = sealed;
    this.policy = policy;
    this.credentials =
        Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(cacheTtl).build();
  }

  /**
   * Checks a device's token and its transport policy. Succeeds with the device id, fails with
   * {@link Failure#UNAUTHENTICATED} for an unknown device or a wrong token alike, so that a caller
   * cannot probe which devices exist, and with {@link Failure#FORBIDDEN} for a decommissioned
   * device or a {@code secure_only} one arriving over a plain transport.
   *
   * @param secureTransport whether the connection is MQTT over TLS (plain CoAP never is)
   */
  public Future<String> authenticate(String deviceId, String token, boolean secureTransport) {
    if (!Identifiers.isDeviceId(deviceId) || token == null) {
      return Future.failedFuture(badCredentials());
    }
    Optional<Credential> cached = Optional.ofNullable(credentials.getIfPresent(deviceId));
    Future<Optional<Credential>> stored =
        cached.isPresent() ? Future.succeededFuture(cached) : loadCredential(deviceId);
    return stored.compose(
        credential -> {
          if (credential.isEmpty()
              || !SecretHash.matches(token, credential.get().salt(), credential.get().hash())) {
            return Future.failedFuture(badCredentials());
          }
          credentials.put(deviceId, credential.get());
          // Said only to the holder of the right token, so it tells a stranger nothing.
          if (credential.get().decommissioned()) {
            return Future.failedFuture(
                new ServiceException(Failure.FORBIDDEN, "the device is decommissioned"));
          }
          return transportOf(credential.get()).allows(secureTransport)
              ? Future.succeededFuture(deviceId)
              : Future.failedFuture(
                  new ServiceException(
                      Failure.FORBIDDEN,
                      "the device may connect only over TLS or DTLS (transport secure_only)"));
        });
  }

  private DeviceTransport transportOf(Credential credential) {
    return credential.transport() == null ? policy.fleetTransport() : credential.transport();
  }

  /**
   * The DTLS pre-shared key of a device, derived again from the server key and the stored salt: its
   * DTLS key ({@link DeviceTokens#deriveDtlsKey}), or, for a device provisioned before DTLS keys
   * existed and while {@code tls.legacyTokenPsk} allows it, its token. Empty for an unknown device,
   * and for one whose stored hash does not match the derived token (a device provisioned under
   * another server key): such a device can still use its token where the hash is checked (MQTT,
   * plain CoAP), but has no PSK. Empty too for a decommissioned device.
   */
  public Future<Optional<String>> dtlsKey(String deviceId) {
    if (!Identifiers.isDeviceId(deviceId)) {
      return Future.succeededFuture(Optional.empty());
    }
    Optional<Credential> cached = Optional.ofNullable(credentials.getIfPresent(deviceId));
    Future<Optional<Credential>> stored =
        cached.isPresent() ? Future.succeededFuture(cached) : loadCredential(deviceId);
    return stored.map(
        credential ->
            credential.flatMap(
                c -> {
                  String token = tokens.derive(deviceId, c.salt());
                  if (c.decommissioned() || !SecretHash.matches(token, c.salt(), c.hash())) {
                    return Optional.empty();
                  }
                  credentials.put(deviceId, c);
                  if (c.hasDtlsKey()) {
                    return Optional.of(tokens.deriveDtlsKey(deviceId, c.salt()));
                  }
                  return policy.legacyTokenPsk() ? Optional.of(token) : Optional.empty();
                }));
  }

  private Future<Optional<Credential>> loadCredential(String deviceId) {
    return jdbc.call(
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT token_salt, token_hash, service_state, transport, dtls_key"
                      + " FROM devices WHERE id = ?")) {
            select.setString(1, deviceId);
            try (ResultSet rs = select.executeQuery()) {
              return rs.next()
                  ? Optional.of(
                      new Credential(
                          rs.getBytes("token_salt"),
                          rs.getBytes("token_hash"),
                          ServiceState.DECOMMISSIONED
                              .wireName()
                              .equals(rs.getString("service_state")),
                          DeviceTransport.fromWireName(rs.getString("transport")).orElse(null),
                          rs.getBoolean("dtls_key")))
                  : Optional.<Credential>empty();
            }
          }
        });
  }

  public Future<Provisioned> provision(NewDevice device, StaffPrincipal by, String from) {
    try {
      validate(device);
    } catch (ServiceException e) {
      return Future.failedFuture(e);
    }
    // The token is derived from the server key and the salt so that DTLS can compute it again;
    // the database keeps only the salt and the hash, as before.
    byte[] salt = SecretHash.newSalt();
    String token = tokens.derive(device.id(), salt);
    SecretHash.Salted hashed = SecretHash.hash(token, salt);
    return jdbc.transaction(
            connection -> {
              try (PreparedStatement insert =
                  connection.prepareStatement(
                      "INSERT INTO devices (id, type, model, firmware, home_id, token_salt,"
                          + " token_hash, customer_ref, customer_tier, sold_on, region,"
                          + " customer_ref_index, home_id_index, transport, hub_id, dtls_key)"
                          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, true)")) {
                insert.setString(1, device.id());
                insert.setString(2, device.type());
                insert.setString(3, device.model());
                insert.setString(4, device.firmware());
                insert.setString(5, sealed.seal(device.homeId()));
                insert.setBytes(6, hashed.salt());
                insert.setBytes(7, hashed.hash());
                insert.setString(8, sealed.seal(device.customerRef()));
                insert.setString(
                    9, device.customerTier() == null ? "standard" : device.customerTier());
                insert.setObject(10, device.soldOn());
                insert.setString(11, device.region());
                insert.setString(12, sealed.index(device.customerRef()));
                insert.setString(13, sealed.index(device.homeId()));
                insert.setString(14, device.transport());
                insert.setString(15, device.hubId());
                HubAssignment.checkHub(connection, device.id(), device.hubId());
                insert.executeUpdate();
              }
              HubAssignment.checkAfterWrite(connection, device.id());
              AuditLog.append(
                  connection,
                  AuditEntry.of(
                      by.name(),
                      "device.provision",
                      "device/" + device.id(),
                      AuditEntry.Outcome.ALLOWED,
                      from));
              return new Provisioned(
                  device.id(), token, tokens.deriveDtlsKey(device.id(), hashed.salt()));
            })
        .recover(
            error ->
                error instanceof ServiceException e && e.failure() == Failure.CONFLICT
                    ? Future.failedFuture(
                        new ServiceException(
                            Failure.CONFLICT, "device '" + device.id() + "' already exists"))
                    : Future.failedFuture(error));
  }

  /**
   * Changes a device's attributes and service state, audited as {@code device.edit} with the
   * changes. The credential cache forgets the device at once, so a decommissioned device's next
   * connect is refused. Completes with the device as it now stands.
   */
  public Future<DeviceView> edit(String deviceId, DeviceEdit edit, StaffPrincipal by, String from) {
    StringBuilder sql = new StringBuilder("UPDATE devices SET ");
    Map<String, Object> columns = new LinkedHashMap<>(edit.columns());
    for (SealedDeviceColumn personal : SealedDeviceColumn.values()) {
      if (columns.containsKey(personal.column())) {
        String clear = (String) columns.get(personal.column());
        columns.put(personal.column(), sealed.seal(clear));
        columns.put(personal.indexColumn(), sealed.index(clear));
      }
    }
    List<Object> values = new ArrayList<>(columns.values());
    sql.append(String.join(" = ?, ", columns.keySet())).append(" = ? WHERE id = ?");
    return jdbc.transaction(
            connection -> {
              if (columns.containsKey("hub_id")) {
                HubAssignment.checkHub(connection, deviceId, (String) columns.get("hub_id"));
              }
              try (PreparedStatement update = connection.prepareStatement(sql.toString())) {
                for (int i = 0; i < values.size(); i++) {
                  update.setObject(i + 1, values.get(i));
                }
                update.setString(values.size() + 1, deviceId);
                if (update.executeUpdate() == 0) {
                  throw new ServiceException(Failure.NOT_FOUND, "no such device");
                }
              }
              HubAssignment.checkAfterWrite(connection, deviceId);
              AuditLog.append(
                  connection,
                  AuditEntry.of(
                          by.name(),
                          "device.edit",
                          "device/" + deviceId,
                          AuditEntry.Outcome.ALLOWED,
                          from)
                      .withDetail(edit.fields()));
              return read(connection, deviceId);
            })
        .onSuccess(device -> credentials.invalidate(deviceId));
  }

  /**
   * Gives a device a new token, returned this once; the old one stops working at once on this node
   * (other nodes within the credential cache's time-to-live). Audited as {@code device.token}.
   */
  public Future<Provisioned> rotateToken(String deviceId, StaffPrincipal by, String from) {
    byte[] salt = SecretHash.newSalt();
    String token = tokens.derive(deviceId, salt);
    SecretHash.Salted hashed = SecretHash.hash(token, salt);
    return jdbc.transaction(
            connection -> {
              try (PreparedStatement update =
                  connection.prepareStatement(
                      "UPDATE devices SET token_salt = ?, token_hash = ?, dtls_key = true"
                          + " WHERE id = ?")) {
                update.setBytes(1, hashed.salt());
                update.setBytes(2, hashed.hash());
                update.setString(3, deviceId);
                if (update.executeUpdate() == 0) {
                  throw new ServiceException(Failure.NOT_FOUND, "no such device");
                }
              }
              AuditLog.append(
                  connection,
                  AuditEntry.of(
                      by.name(),
                      "device.token",
                      "device/" + deviceId,
                      AuditEntry.Outcome.ALLOWED,
                      from));
              return new Provisioned(
                  deviceId, token, tokens.deriveDtlsKey(deviceId, hashed.salt()));
            })
        .onSuccess(rotated -> credentials.invalidate(deviceId));
  }

  private static void validate(NewDevice device) {
    if (!Identifiers.isDeviceId(device.id())) {
      throw invalid("id must match [A-Za-z0-9._-]{1,64}");
    }
    if (device.type() == null || !TYPE.matcher(device.type()).matches()) {
      throw invalid("type must match [a-z][a-z0-9_]{0,31}, e.g. thermostat");
    }
    if (device.customerTier() != null && !CUSTOMER_TIERS.contains(device.customerTier())) {
      throw invalid("customerTier must be one of " + CUSTOMER_TIERS);
    }
    if (device.transport() != null && DeviceTransport.fromWireName(device.transport()).isEmpty()) {
      throw invalid("transport must be any or secure_only");
    }
    for (String attribute :
        new String[] {
          device.model(), device.firmware(), device.homeId(), device.customerRef(), device.region()
        }) {
      if (attribute != null
          && (attribute.length() > MAX_ATTRIBUTE || attribute.indexOf('\0') >= 0)) {
        throw invalid(
            "model, firmware, homeId, customerRef and region are at most "
                + MAX_ATTRIBUTE
                + " characters");
      }
    }
  }

  private static ServiceException invalid(String message) {
    return new ServiceException(Failure.INVALID_INPUT, message);
  }

  private static ServiceException badCredentials() {
    return new ServiceException(Failure.UNAUTHENTICATED, "bad device id or token");
  }

  public Future<Optional<DeviceView>> find(String deviceId) {
    return jdbc.call(connection -> Optional.of(read(connection, deviceId)))
        .recover(
            error ->
                error instanceof ServiceException e && e.failure() == Failure.NOT_FOUND
                    ? Future.succeededFuture(Optional.empty())
                    : Future.failedFuture(error));
  }

  private DeviceView read(java.sql.Connection connection, String deviceId) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(SELECT_COLUMNS + " FROM devices WHERE id = ?")) {
      select.setString(1, deviceId);
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next()) {
          throw new ServiceException(Failure.NOT_FOUND, "no such device");
        }
        return view(rs);
      }
    }
  }

  /**
   * A page of the fleet list: the devices matching every filter given, in the query's order,
   * starting after its position (keyset paging on an indexed (key, id), so it stays fast and stable
   * however large the fleet grows).
   */
  public Future<List<DeviceView>> list(DeviceListQuery query) {
    FleetSelection.Where filters = FleetSelection.filters(query, sealed);
    String from = filters.from();
    StringBuilder where = new StringBuilder(filters.sql());
    List<Object> values = new ArrayList<>(filters.values());
    String key = query.sort().key();
    if (query.afterId() != null && query.sort() == DeviceListQuery.Sort.ID) {
      // A plain comparison: the planner turns it into a range on the primary key, "(id, id) >"
      // it would not.
      where.append(" AND id > ?");
      values.add(query.afterId());
    } else if (query.afterId() != null) {
      where.append(" AND (").append(key).append(", id) > (?, ?)");
      values.add(query.afterKey());
      values.add(query.afterId());
    }
    String sql = SELECT_COLUMNS + from + where + " ORDER BY " + key + ", id LIMIT ?";
    values.add(query.limit());
    return jdbc.call(
        connection -> {
          try (PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.size(); i++) {
              select.setObject(i + 1, values.get(i));
            }
            List<DeviceView> devices = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
              while (rs.next()) {
                devices.add(view(rs));
              }
            }
            return devices;
          }
        });
  }

  /**
   * The firmware inventory: devices in service (decommissioned ones left out) counted by model and
   * the version they last reported, optionally of one type, model by model.
   */
  public Future<List<FirmwareCount>> firmwareInventory(String type) {
    return jdbc.call(
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT model, firmware, count(*) AS devices FROM devices"
                      + " WHERE service_state <> 'decommissioned' AND (?::text IS NULL OR type = ?)"
                      + " GROUP BY model, firmware"
                      + " ORDER BY model NULLS LAST, firmware NULLS LAST")) {
            select.setString(1, type);
            select.setString(2, type);
            List<FirmwareCount> counts = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
              while (rs.next()) {
                counts.add(
                    new FirmwareCount(
                        rs.getString("model"), rs.getString("firmware"), rs.getLong("devices")));
              }
            }
            return counts;
          }
        });
  }

  /**
   * The health score and open-alarm count of each of these devices (one page of the fleet list), in
   * one query: the list shows both without a request per row.
   */
  public Future<Map<String, FleetHealth>> fleetHealth(List<String> deviceIds, Instant now) {
    if (deviceIds.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return jdbc.call(
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT devices.id, "
                      + HealthScore.SQL
                      + " AS score, coalesce(open_alarms.alarms, 0) AS open_count FROM devices"
                      + HealthScore.JOIN_FOR_DEVICES
                      + " WHERE devices.id = ANY(?)")) {
            java.sql.Array ids = connection.createArrayOf("text", deviceIds.toArray());
            select.setTimestamp(1, Timestamp.from(now));
            select.setArray(2, ids);
            select.setArray(3, ids);
            Map<String, FleetHealth> health = new HashMap<>();
            try (ResultSet rs = select.executeQuery()) {
              while (rs.next()) {
                health.put(
                    rs.getString("id"),
                    new FleetHealth(rs.getInt("score"), rs.getInt("open_count")));
              }
            }
            return health;
          }
        });
  }

  /**
   * The device's connectivity changes in the window, oldest first, led by the last change before it
   * (if any), so a timeline knows the state the window starts in. At most {@code limit} rows after
   * the leading one.
   */
  public Future<List<ConnectivityChange>> connectivity(
      String deviceId, Instant from, Instant to, int limit) {
    return jdbc.call(
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(
                  "(SELECT ts, online, protocol, reason FROM device_connectivity"
                      + " WHERE device_id = ? AND ts < ? ORDER BY ts DESC LIMIT 1)"
                      + " UNION ALL (SELECT ts, online, protocol, reason FROM device_connectivity"
                      + " WHERE device_id = ? AND ts >= ? AND ts <= ? ORDER BY ts LIMIT ?)"
                      + " ORDER BY ts")) {
            select.setString(1, deviceId);
            select.setTimestamp(2, Timestamp.from(from));
            select.setString(3, deviceId);
            select.setTimestamp(4, Timestamp.from(from));
            select.setTimestamp(5, Timestamp.from(to));
            select.setInt(6, limit);
            List<ConnectivityChange> changes = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
              while (rs.next()) {
                changes.add(
                    new ConnectivityChange(
                        TimestampColumn.read(rs, "ts"),
                        rs.getBoolean("online"),
                        rs.getString("protocol"),
                        rs.getString("reason")));
              }
            }
            return changes;
          }
        });
  }

  private static final String SELECT_COLUMNS =
      "SELECT id, type, model, firmware, home_id, customer_ref, customer_tier, sold_on,"
          + " region, service_state, created_at, online, protocol, last_seen_at, online_changed_at,"
          + " transport, hub_id";

  private DeviceView view(ResultSet rs) throws SQLException {
    return new DeviceView(
        rs.getString("id"),
        rs.getString("type"),
        rs.getString("model"),
        rs.getString("firmware"),
        sealed.open(rs.getString("home_id")),
        sealed.open(rs.getString("customer_ref")),
        rs.getString("customer_tier"),
        rs.getObject("sold_on", java.time.LocalDate.class),
        rs.getString("region"),
        rs.getString("service_state"),
        TimestampColumn.read(rs, "created_at"),
        rs.getBoolean("online"),
        rs.getString("protocol"),
        TimestampColumn.read(rs, "last_seen_at"),
        TimestampColumn.read(rs, "online_changed_at"),
        rs.getString("transport"),
        rs.getString("hub_id"));
  }
}
