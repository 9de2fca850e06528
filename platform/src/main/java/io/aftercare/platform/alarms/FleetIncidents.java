package io.aftercare.platform.alarms;

import io.aftercare.bridge.DetectedIncidents;
import io.aftercare.bridge.IncidentDeclaration;
import io.aftercare.bridge.IncidentLevel;
import io.aftercare.diagnostics.rules.RuleKind;
import io.aftercare.diagnostics.rules.RuleSet;
import io.aftercare.platform.audit.AuditEntry;
import io.aftercare.platform.audit.AuditLog;
import io.aftercare.platform.config.AftercareConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Root cause across homes: when many homes go offline together (a region's power, an ISP, a cloud
 * dependency, one firmware version), the engine declares one incident at the service desk instead
 * of a ticket per device, links the devices' absence alarms (and their home alarms) to it, and
 * resolves it when they are back (docs/diagnostics.md, "Root cause across devices: fleet
 * incidents").
 *
 * <p>Judged from the database inside the transaction that raises or clears a device's absence
 * alarm, as {@link HomeOutages} judges a home, after it: so it holds whichever node raises the
 * alarm, and after a restart or a crash. The transaction takes the fleet's advisory lock ({@code
 * pg_advisory_xact_lock}) after the home's: two nodes raising alarms of one outage see each other's
 * work, so one incident is declared and none resolved while an alarm is being linked to it.
 *
 * <p>A storm costs one count: the first alarm of the outage counts the devices that went offline
 * around it (an index of offline devices by when they went offline) and declares the incident with
 * all of them in its scope; every later alarm finds the open incident and joins it with a handful
 * of indexed reads and writes.
 */
public final class FleetIncidents {

  private static final Logger LOG = LoggerFactory.getLogger(FleetIncidents.class);

  /** Who declares and follows detected incidents on the timeline and in the audit log. */
  static final String ACTOR = SystemActor.DIAGNOSTICS.name();

  /** As {@link UnheldDevicesCheck} counts a device's silence. */
  private static final String LAST_HEARD =
      "GREATEST(COALESCE(d.last_seen_at, d.created_at), d.online_changed_at)";

  private static final String DEVICE_COLUMNS =
      "d.id, COALESCE(d.home_id_index, 'device:' || d.id) AS home, d.customer_ref_index,"
          + " d.customer_ref, d.region, d.firmware, d.model, "
          + LAST_HEARD
          + " AS since, d.online_changed_at";

  private final Supplier<RuleSet> rules;
  private final AftercareConfig.FleetIncident config;
  private final DetectedIncidents desk;

  /**
   * @param desk the service desk's incidents, written in the alarm change's own transaction
   */
  public FleetIncidents(
      Supplier<RuleSet> rules, AftercareConfig.FleetIncident config, DetectedIncidents desk) {
    this.rules = rules;
    this.config = config;
    this.desk = desk;
  }

  AftercareConfig.FleetIncident config() {
    return config;
  }

  DetectedIncidents desk() {
    return desk;
  }

  /**
   * Whether a fleet incident explains the absence alarm just raised: an open one whose devices
   * share what this device has, or one declared now because enough homes went offline together. The
   * alarm, and the home alarm {@link HomeOutages} linked it to in this transaction if any, are then
   * linked to it.
   *
   * @return the incident; empty for an alarm of another kind or a device offline on its own
   */
  Optional<Long> explain(Connection c, OpenAlarm alarm, Instant now) throws SQLException {
    if (!isAbsence(alarm.ruleId())) {
      return Optional.empty();
    }
    Optional<Device> device = device(c, alarm.deviceId());
    if (device.isEmpty()) {
      return Optional.empty();
    }
    lockFleet(c);
    Optional<Long> incident = openIncidentFor(c, device.get());
    if (incident.isPresent()) {
      join(c, incident.get(), List.of(device.get()), now);
    } else {
      incident = declareIfOutage(c, device.get(), now);
    }
    if (incident.isPresent()) {
      link(c, alarm.id(), incident.get());
      LOG.debug(
          "Alarm {} of device {} explained by incident {}: no ticket of its own",
          alarm.id(),
          alarm.deviceId(),
          incident.get());
    }
    return incident;
  }

  /**
   * A device alarm cleared (in {@code c}, before this call). When it was the last open alarm linked
   * to an open fleet incident and none of the incident's devices is still offline, the devices are
   * back: the incident records the recovery and is resolved. Devices still offline whose alarms are
   * yet to come leave it to {@link FleetRecovery}.
   */
  void deviceAlarmCleared(Connection c, long alarmId, Instant at) throws SQLException {
    Optional<Long> incident = incidentOf(c, alarmId);
    if (incident.isEmpty()) {
      return;
    }
    lockFleet(c);
    if (!isOpen(c, incident.get())
        || openLinked(c, incident.get()) > 0
        || membersOffline(c, incident.get())) {
      return;
    }
    end(c, incident.get(), at);
    recovered(c, incident.get(), "every affected device is back: the outage is over", at);
    LOG.info("Incident {} resolved: the devices of the fleet outage are back", incident.get());
  }

  /**
   * Records the recovery on the incident and resolves it (the desk's steps, in order), audited as a
   * staff member's transition would be; one staff already resolved only gets the recovery entry.
   */
  void recovered(Connection c, long incident, String note, Instant at) throws SQLException {
    if (!desk.recovered(c, incident, note, ACTOR, at)) {
      return;
    }
    AuditLog.append(
        c,
        AuditEntry.of(
                ACTOR,
                "incident.transition",
                "incident/" + incident,
                AuditEntry.Outcome.ALLOWED,
                null)
            .withDetail(Map.of("to", "resolved", "origin", DetectedIncidents.ORIGIN)));
  }

  private boolean isAbsence(String ruleId) {
    return rules.get().rules().stream()
        .anyMatch(rule -> rule.id().equals(ruleId) && rule.kind() == RuleKind.ABSENCE);
  }

  /** Serialises fleet-incident work across nodes until the transaction ends. */
  static void lockFleet(Connection c) throws SQLException {
    try (PreparedStatement lock =
        c.prepareStatement(
            "SELECT pg_advisory_xact_lock(hashtextextended('fleet-incidents', 0))")) {
      lock.executeQuery().close();
    }
  }

  /**
   * A device as the correlation sees it: its home (a device of no home is its own), its customer
   * (blind index, and the sealed reference for the incident's scope), what it may share with
   * others, when its silence began and when it went offline.
   */
  record Device(
      String id,
      String home,
      String customerIndex,
      String customerRef,
      String region,
      String firmware,
      String model,
      Instant since,
      Instant wentOffline) {}

  private static Optional<Device> device(Connection c, String deviceId) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement("SELECT " + DEVICE_COLUMNS + " FROM devices d WHERE d.id = ?")) {
      select.setString(1, deviceId);
      List<Device> found = devices(select);
      return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }
  }

  private static List<Device> devices(PreparedStatement select) throws SQLException {
    List<Device> devices = new ArrayList<>();
    try (ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        Timestamp wentOffline = rs.getTimestamp("online_changed_at");
        devices.add(
            new Device(
                rs.getString("id"),
                rs.getString("home"),
                rs.getString("customer_ref_index"),
                rs.getString("customer_ref"),
                rs.getString("region"),
                rs.getString("firmware"),
                rs.getString("model"),
                rs.getTimestamp("since").toInstant(),
                wentOffline == null ? null : wentOffline.toInstant()));
      }
    }
    return devices;
  }

  /**
   * The open incident this device's outage belongs to: one whose devices share its region (or
   * firmware, or model, whichever the incident was declared on), or a fleet-wide one.
   */
  private static Optional<Long> openIncidentFor(Connection c, Device device) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT f.incident_id FROM fleet_incidents f JOIN incidents i ON i.id = f.incident_id"
                + " WHERE f.status = 'open' AND i.status IN ('declared', 'responded', 'handling')"
                + " AND (f.shared_kind IS NULL OR (f.shared_kind = 'region' AND f.shared_value = ?)"
                + " OR (f.shared_kind = 'firmware' AND f.shared_value = ?)"
                + " OR (f.shared_kind = 'model' AND f.shared_value = ?))"
                + " ORDER BY f.shared_kind IS NULL, f.incident_id LIMIT 1")) {
      select.setString(1, device.region());
      select.setString(2, device.firmware());
      select.setString(3, device.model());
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
      }
    }
  }

  /**
   * Declares the incident when at least {@code minHomes} homes went offline together with this
   * device: devices in service, offline, that went offline and were last heard from within {@code
   * window} of this device's silence, and not already part of an outage: of an open fleet incident,
   * or of one that is over while they have stayed offline since (released to their own tickets, by
   * the recovery or by staff, they are not counted into the next outage).
   */
  private Optional<Long> declareIfOutage(Connection c, Device device, Instant now)
      throws SQLException {
    if (device.wentOffline() == null) {
      return Optional.empty();
    }
    Instant from = device.since().minus(config.window());
    Instant to = device.since().plus(config.window());
    List<Device> together;
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT "
                + DEVICE_COLUMNS
                + " FROM devices d WHERE NOT d.online AND d.online_changed_at BETWEEN ? AND ?"
                + " AND d.service_state = 'active' AND "
                + LAST_HEARD
                + " BETWEEN ? AND ? AND NOT EXISTS (SELECT 1 FROM fleet_incident_members m"
                + " JOIN fleet_incidents f ON f.incident_id = m.incident_id"
                + " WHERE m.kind = 'device' AND m.key = d.id"
                + " AND (f.status = 'open' OR f.declared_at >= d.online_changed_at))"
                + " ORDER BY d.id")) {
      select.setTimestamp(1, Timestamp.from(from));
      select.setTimestamp(2, Timestamp.from(to));
      select.setTimestamp(3, Timestamp.from(from));
      select.setTimestamp(4, Timestamp.from(to));
      together = devices(select);
    }
    Outage outage = Outage.of(together);
    if (outage.homes() < config.minHomes()) {
      return Optional.empty();
    }
    IncidentLevel level = levelFor(outage.customers().size());
    long id =
        desk.declare(
            c,
            new IncidentDeclaration(
                level, outage.title(), outage.description(config.window()), List.of(), List.of()),
            together.stream().map(Device::id).toList(),
            List.copyOf(outage.customers().values()),
            ACTOR,
            now);
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO fleet_incidents (incident_id, status, shared_kind, shared_value,"
                + " declared_at, homes, devices, customers, reported_homes)"
                + " VALUES (?, 'open', ?, ?, ?, ?, ?, ?, ?)")) {
      insert.setLong(1, id);
      insert.setString(2, outage.shared().map(Outage.Shared::kind).orElse(null));
      insert.setString(3, outage.shared().map(Outage.Shared::value).orElse(null));
      insert.setTimestamp(4, Timestamp.from(now));
      insert.setInt(5, outage.homes());
      insert.setInt(6, together.size());
      insert.setInt(7, outage.customers().size());
      insert.setInt(8, outage.homes());
      insert.executeUpdate();
    }
    addMembers(c, id, together);
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("origin", DetectedIncidents.ORIGIN);
    detail.put("level", level.wireName());
    detail.put("homes", outage.homes());
    detail.put("devices", together.size());
    detail.put("customers", outage.customers().size());
    AuditLog.append(
        c,
        AuditEntry.of(ACTOR, "incident.declare", "incident/" + id, AuditEntry.Outcome.ALLOWED, null)
            .withDetail(detail));
    LOG.info(
        "Incident {} declared ({}): {} homes, {} devices, {} customers offline together",
        id,
        level.wireName(),
        outage.homes(),
        together.size(),
        outage.customers().size());
    return Optional.of(id);
  }

  /**
   * Adds devices to an open incident: its members and counts, the desk's scope for what is new, a
   * timeline entry each time its homes double, and a higher level when its customers call for one.
   */
  private void join(Connection c, long id, List<Device> devices, Instant now) throws SQLException {
    Members added = addMembers(c, id, devices);
    if (added.isEmpty()) {
      return;
    }
    Map<String, String> sealedByIndex = new LinkedHashMap<>();
    for (Device device : devices) {
      if (device.customerIndex() != null && added.customers().contains(device.customerIndex())) {
        sealedByIndex.putIfAbsent(device.customerIndex(), device.customerRef());
      }
    }
    desk.join(c, id, List.copyOf(added.devices()), List.copyOf(sealedByIndex.values()));
    int homes;
    int devicesNow;
    int customers;
    int reported;
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE fleet_incidents SET homes = homes + ?, devices = devices + ?,"
                + " customers = customers + ? WHERE incident_id = ?"
                + " RETURNING homes, devices, customers, reported_homes")) {
      update.setInt(1, added.homes().size());
      update.setInt(2, added.devices().size());
      update.setInt(3, added.customers().size());
      update.setLong(4, id);
      try (ResultSet rs = update.executeQuery()) {
        rs.next();
        homes = rs.getInt(1);
        devicesNow = rs.getInt(2);
        customers = rs.getInt(3);
        reported = rs.getInt(4);
      }
    }
    if (homes >= 2 * reported) {
      try (PreparedStatement update =
          c.prepareStatement(
              "UPDATE fleet_incidents SET reported_homes = ? WHERE incident_id = ?")) {
        update.setInt(1, homes);
        update.setLong(2, id);
        update.executeUpdate();
      }
      desk.recordGrowth(
          c,
          id,
          homes + " homes offline now (" + devicesNow + " devices, " + customers + " customers)",
          Map.of("homes", homes, "devices", devicesNow, "customers", customers),
          ACTOR,
          now);
    }
    if (!added.customers().isEmpty()) {
      IncidentLevel level = levelFor(customers);
      if (level.compareTo(levelOf(c, id)) > 0) {
        desk.raiseLevel(
            c, id, level, customers + " customers affected now: " + level.wireName(), ACTOR, now);
        LOG.info(
            "Incident {} raised to {}: {} customers affected", id, level.wireName(), customers);
      }
    }
  }

  /** The homes, devices and customers (blind indexes) new to the incident. */
  private record Members(Set<String> homes, Set<String> devices, Set<String> customers) {
    boolean isEmpty() {
      return homes.isEmpty() && devices.isEmpty() && customers.isEmpty();
    }
  }

  private static Members addMembers(Connection c, long id, List<Device> devices)
      throws SQLException {
    List<String> kinds = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    for (Device device : devices) {
      kinds.add("home");
      keys.add(device.home());
      kinds.add("device");
      keys.add(device.id());
      if (device.customerIndex() != null) {
        kinds.add("customer");
        keys.add(device.customerIndex());
      }
    }
    Members added =
        new Members(new LinkedHashSet<>(), new LinkedHashSet<>(), new LinkedHashSet<>());
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO fleet_incident_members (incident_id, kind, key)"
                + " SELECT ?, m.kind, m.key FROM unnest(?::text[], ?::text[]) AS m(kind, key)"
                + " ON CONFLICT DO NOTHING RETURNING kind, key")) {
      insert.setLong(1, id);
      insert.setArray(2, c.createArrayOf("text", kinds.toArray()));
      insert.setArray(3, c.createArrayOf("text", keys.toArray()));
      try (ResultSet rs = insert.executeQuery()) {
        while (rs.next()) {
          switch (rs.getString(1)) {
            case "home" -> added.homes().add(rs.getString(2));
            case "device" -> added.devices().add(rs.getString(2));
            default -> added.customers().add(rs.getString(2));
          }
        }
      }
    }
    return added;
  }

  private static void link(Connection c, long alarmId, long incident) throws SQLException {
    try (PreparedStatement link =
        c.prepareStatement("UPDATE alarms SET incident_id = ? WHERE id = ?")) {
      link.setLong(1, incident);
      link.setLong(2, alarmId);
      link.executeUpdate();
    }
    try (PreparedStatement link =
        c.prepareStatement(
            "UPDATE home_alarms SET incident_id = ? WHERE incident_id IS NULL"
                + " AND id = (SELECT home_alarm_id FROM alarms WHERE id = ?)")) {
      link.setLong(1, incident);
      link.setLong(2, alarmId);
      link.executeUpdate();
    }
  }

  /** The level the standards' four grades give an outage affecting this many customers. */
  IncidentLevel levelFor(int customers) {
    if (customers >= config.especiallyMajorCustomers()) {
      return IncidentLevel.ESPECIALLY_MAJOR;
    }
    if (customers >= config.majorCustomers()) {
      return IncidentLevel.MAJOR;
    }
    if (customers >= config.significantCustomers()) {
      return IncidentLevel.SIGNIFICANT;
    }
    return IncidentLevel.GENERAL;
  }

  private static IncidentLevel levelOf(Connection c, long id) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement("SELECT level FROM incidents WHERE id = ?")) {
      select.setLong(1, id);
      try (ResultSet rs = select.executeQuery()) {
        rs.next();
        return IncidentLevel.fromWireName(rs.getString(1));
      }
    }
  }

  private static Optional<Long> incidentOf(Connection c, long alarmId) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT incident_id FROM alarms WHERE id = ? AND incident_id IS NOT NULL")) {
      select.setLong(1, alarmId);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
      }
    }
  }

  /** Whether an open fleet incident explains the alarm (it is linked to it). */
  static boolean explains(Connection c, long alarmId) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT 1 FROM alarms a JOIN fleet_incidents f ON f.incident_id = a.incident_id"
                + " WHERE a.id = ? AND f.status = 'open'")) {
      select.setLong(1, alarmId);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next();
      }
    }
  }

  static boolean isOpen(Connection c, long incident) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT 1 FROM fleet_incidents WHERE incident_id = ? AND status = 'open'")) {
      select.setLong(1, incident);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static int openLinked(Connection c, long incident) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT count(*) FROM alarms WHERE incident_id = ? AND status <> 'cleared'")) {
      select.setLong(1, incident);
      try (ResultSet rs = select.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /** Whether a device of the incident is still offline (its alarm may be yet to come). */
  private static boolean membersOffline(Connection c, long incident) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT 1 FROM fleet_incident_members m JOIN devices d ON d.id = m.key"
                + " WHERE m.incident_id = ? AND m.kind = 'device' AND NOT d.online"
                + " AND d.service_state = 'active' LIMIT 1")) {
      select.setLong(1, incident);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** The incident is no longer followed: no device joins it any more. */
  static void end(Connection c, long incident, Instant at) throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE fleet_incidents SET status = 'over', ended_at = ? WHERE incident_id = ?")) {
      update.setTimestamp(1, Timestamp.from(at));
      update.setLong(2, incident);
      update.executeUpdate();
    }
  }

  /**
   * What the devices that went offline together have in common, and how the incident names it.
   *
   * @param customers each customer's blind index, with the sealed reference of one of its devices
   */
  record Outage(
      int homes,
      int devices,
      boolean anyHome,
      Map<String, String> customers,
      Map<String, String> traits) {

    /** The trait the incident is declared on: later devices join it if they share it. */
    record Shared(String kind, String value) {}

    static Outage of(List<Device> devices) {
      Set<String> homes = new LinkedHashSet<>();
      Map<String, String> customers = new LinkedHashMap<>();
      boolean anyHome = false;
      for (Device device : devices) {
        homes.add(device.home());
        anyHome |= !device.home().equals("device:" + device.id());
        if (device.customerIndex() != null) {
          customers.putIfAbsent(device.customerIndex(), device.customerRef());
        }
      }
      Map<String, String> traits = new LinkedHashMap<>();
      shared(devices, Device::region).ifPresent(value -> traits.put("region", value));
      shared(devices, Device::firmware).ifPresent(value -> traits.put("firmware", value));
      shared(devices, Device::model).ifPresent(value -> traits.put("model", value));
      return new Outage(homes.size(), devices.size(), anyHome, customers, traits);
    }

    /** The value every device has, if they all have the same one. */
    private static Optional<String> shared(List<Device> devices, Function<Device, String> trait) {
      Set<String> values = new LinkedHashSet<>();
      for (Device device : devices) {
        values.add(trait.apply(device));
      }
      return values.size() == 1 && !values.contains(null)
          ? Optional.of(values.iterator().next())
          : Optional.empty();
    }

    /** Region first (an outage is most often where the devices are), then firmware, then model. */
    Optional<Shared> shared() {
      return traits.entrySet().stream()
          .findFirst()
          .map(trait -> new Shared(trait.getKey(), trait.getValue()));
    }

    /** "200 homes"; "200 devices" when none of them is in a home (a test bench, a lab). */
    private String homesText() {
      String unit =
          anyHome ? (homes == 1 ? " home" : " homes") : (homes == 1 ? " device" : " devices");
      return homes + unit;
    }

    String title() {
      String homesText = homesText();
      String where =
          shared()
              .map(
                  trait ->
                      switch (trait.kind()) {
                        case "region" -> " in region " + trait.value();
                        case "firmware" -> " on firmware " + trait.value();
                        default -> " with model " + trait.value();
                      })
              .orElse("");
      String title =
          "Outage: " + homesText + where + " offline" + (where.isEmpty() ? " fleet-wide" : "");
      return title.length() <= IncidentDeclaration.MAX_TITLE
          ? title
          : title.substring(0, IncidentDeclaration.MAX_TITLE);
    }

    String description(Duration window) {
      StringBuilder text = new StringBuilder().append(homesText()).append(" (");
      if (anyHome) {
        text.append(devices).append(devices == 1 ? " device, " : " devices, ");
      } else {
        text.append("in no home, ");
      }
      text.append(customers.size())
          .append(customers.size() == 1 ? " customer)" : " customers)")
          .append(" went offline within ")
          .append(window.toMinutes() > 0 ? window.toMinutes() + " min" : window.toSeconds() + " s")
          .append(" of each other. ");
      if (traits.isEmpty()) {
        text.append("They share no region, firmware version or model: fleet-wide. ");
      } else {
        List<String> shared = new ArrayList<>();
        traits.forEach((kind, value) -> shared.add(kind + " " + value));
        text.append("They share ").append(String.join(", ", shared)).append(". ");
      }
      text.append(
          "Declared by the diagnostics engine: their device_offline alarms are linked to this"
              + " incident and open no tickets; it is resolved when they are back, and a device"
              + " still down after the rest gets its own ticket.");
      String description = text.toString();
      return description.length() <= IncidentDeclaration.MAX_DESCRIPTION
          ? description
          : description.substring(0, IncidentDeclaration.MAX_DESCRIPTION);
    }
  }
}
