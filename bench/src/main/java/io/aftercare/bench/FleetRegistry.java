package io.aftercare.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Locale;
import org.postgresql.PGConnection;

/**
 * Loads the device registry at fleet scale and the alarms of the last 30 days: {@code devices}
 * devices (the first of them those with telemetry history), about 95 % of them reporting (online),
 * the rest offline for hours or days, a few never connected, in maintenance or decommissioned; open
 * alarms on about 4 % of the fleet (a quarter acknowledged) and cleared ones over 30 days, inserted
 * in the order they were raised, as the platform would have.
 *
 * <p>The reporting devices are marked online over CoAP, whose presence lasts while a device reports
 * within the platform's {@code coap.onlineWindow}: the benchmark starts the platform with a window
 * long enough for them to stay online through the run, since none of them actually connects.
 */
final class FleetRegistry {

  static final String PART = "registry";

  /** Rules of the open and cleared alarms: id, category, severity, description. */
  private static final String[][] RULES = {
    {"wifi_weak", "connectivity", "minor", "Wi-Fi signal below -80 dBm"},
    {"overheat", "device_fault", "major", "temperature above the safe range"},
    {"battery_low", "device_fault", "warning", "battery below 15 %"},
    {"memory_low", "software", "minor", "free memory below 10 %"},
    {"crash_loop", "software", "critical", "restarted 5 times in 10 minutes"},
    {"device_offline", "connectivity", "major", "silent for more than 30 minutes"},
  };

  private final int devices;
  private final int historyDevices;
  private final PrintStream log;

  FleetRegistry(int devices, int historyDevices, PrintStream log) {
    this.devices = devices;
    this.historyDevices = historyDevices;
    this.log = log;
  }

  /** Loads devices and alarms unless loaded; returns the seconds it took. */
  double load(Connection c, Instant end) throws SQLException, IOException {
    if (BenchDataset.done(c, PART)) {
      log.println("registry: already loaded");
      return 0;
    }
    long began = System.nanoTime();
    c.setAutoCommit(false);
    copyDevices(c, end);
    insertAlarms(c, end);
    BenchDataset.record(c, PART, devices + " devices", true);
    c.commit();
    c.setAutoCommit(true);
    double seconds = (System.nanoTime() - began) / 1e9;
    log.printf("registry: %d devices and their alarms in %.1f s%n", devices, seconds);
    return seconds;
  }

  private void copyDevices(Connection c, Instant end) throws SQLException, IOException {
    StringBuilder rows = new StringBuilder(devices * 200);
    HexFormat hex = HexFormat.of();
    for (int i = 0; i < devices; i++) {
      long p = BenchFleet.mix(i, 3) % 1000;
      String state = p < 10 ? "maintenance" : p < 15 ? "decommissioned" : "active";
      Instant lastSeen;
      boolean online;
      if (i < historyDevices || (p >= 15 && p < 965)) {
        online = true;
        lastSeen = end;
      } else if (p < 985) {
        online = false;
        lastSeen = end.minus(Duration.ofMinutes(30 + BenchFleet.mix(i, 5) % 1200));
      } else if (p < 995) {
        online = false;
        lastSeen = end.minus(Duration.ofHours(25 + BenchFleet.mix(i, 5) % 400));
      } else {
        online = false;
        lastSeen = null;
      }
      long tier = BenchFleet.mix(i, 4) % 100;
      Instant created = end.minus(Duration.ofDays(31 + BenchFleet.mix(i, 6) % 700));
      LocalDate soldOn = created.atZone(ZoneOffset.UTC).toLocalDate().minusDays(3);
      byte[] salt = longBytes(BenchFleet.mix(i, 7), BenchFleet.mix(i, 8));
      byte[] hash = longBytes(BenchFleet.mix(i, 9), BenchFleet.mix(i, 10));
      rows.append(BenchFleet.id(i))
          .append('\t')
          .append(BenchFleet.type(i))
          .append('\t')
          .append(BenchFleet.model(i))
          .append('\t')
          .append(BenchFleet.firmware(i))
          .append('\t')
          .append(BenchFleet.home(i))
          .append('\t')
          .append(BenchFleet.customer(i))
          .append('\t')
          .append(tier < 80 ? "standard" : tier < 95 ? "premium" : "vip")
          .append('\t')
          .append(soldOn)
          .append("\t\\\\x")
          .append(hex.formatHex(salt))
          .append("\t\\\\x")
          .append(hex.formatHex(hash))
          .append('\t')
          .append(created)
          .append('\t')
          .append(online)
          .append('\t')
          .append(lastSeen == null ? "\\N" : online ? "coap" : "mqtt")
          .append('\t')
          .append(lastSeen == null ? "\\N" : lastSeen.toString())
          .append('\t')
          .append(lastSeen == null ? "\\N" : lastSeen.toString())
          .append('\t')
          .append(state)
          .append('\n');
    }
    c.unwrap(PGConnection.class)
        .getCopyAPI()
        .copyIn(
            "COPY devices (id, type, model, firmware, home_id, customer_ref, customer_tier,"
                + " sold_on, token_salt, token_hash, created_at, online, protocol, last_seen_at,"
                + " online_changed_at, service_state) FROM STDIN",
            new StringReader(rows.toString()));
  }

  /**
   * Open alarms on about 4 % of the devices (raised in the last 3 days), cleared ones on about 60 %
   * (raised over the 30 days, cleared within hours), all inserted by raising time so their ids
   * follow it.
   */
  private void insertAlarms(Connection c, Instant end) throws SQLException {
    try (Statement insert = c.createStatement()) {
      insert.executeUpdate(
          "INSERT INTO alarms (device_id, rule_id, severity, status, category, description,"
              + " raised_at, last_seen_at, count, last_value, peak_value, acknowledged_at,"
              + " acknowledged_by, cleared_at, cleared_by, resolution, open_ticket,"
              + " remediation_state)"
              + " SELECT device_id, rule_id, severity, status, category, description, raised_at,"
              + " last_seen_at, count, last_value, peak_value, acknowledged_at, acknowledged_by,"
              + " cleared_at, cleared_by, resolution, open_ticket, remediation_state FROM ("
              + alarmRows(true, end, devices)
              + " UNION ALL "
              + alarmRows(false, end, devices)
              + ") a ORDER BY raised_at");
    }
  }

  /**
   * One alarm per device {@code i} whose hash picks it: open ones from the last 3 days before
   * {@code end}, cleared ones from the 30 days.
   */
  private static String alarmRows(boolean open, Instant end, int devices) {
    StringBuilder rules = new StringBuilder("(VALUES ");
    for (int r = 0; r < RULES.length; r++) {
      rules
          .append(r == 0 ? "" : ", ")
          .append(
              String.format(
                  Locale.ROOT,
                  "(%d, '%s', '%s', '%s', '%s')",
                  r,
                  RULES[r][0],
                  RULES[r][1],
                  RULES[r][2],
                  RULES[r][3]));
    }
    rules.append(") AS r (n, rule_id, category, severity, description)");
    String device =
        "(ARRAY['thermostat', 'smart_plug', 'door_lock', 'camera', 'fridge', 'hub'])[i % 6 + 1]"
            + " || '-' || lpad(i::text, 6, '0')";
    String h = "abs(hashint4(i * 7 + " + (open ? 1 : 2) + "))";
    String raised =
        open
            ? "'" + end + "'::timestamptz - make_interval(secs => " + h + " % 259200)"
            : "'" + end + "'::timestamptz - make_interval(secs => " + h + " % 2592000)";
    return "SELECT "
        + device
        + " AS device_id, r.rule_id, r.severity, "
        + (open ? "CASE WHEN " + h + " % 4 = 0 THEN 'acknowledged' ELSE 'active' END" : "'cleared'")
        + " AS status, r.category, r.description, "
        + raised
        + " AS raised_at, "
        + raised
        + " + interval '10 minutes' AS last_seen_at, 1 + "
        + h
        + " % 40 AS count, -82.0 AS last_value, -88.0 AS peak_value, "
        + (open
            ? "CASE WHEN " + h + " % 4 = 0 THEN " + raised + " + interval '20 minutes' END"
            : "NULL::timestamptz")
        + " AS acknowledged_at, "
        + (open ? "CASE WHEN " + h + " % 4 = 0 THEN 'tess' END" : "NULL")
        + " AS acknowledged_by, "
        + (open
            ? "NULL::timestamptz"
            : raised + " + make_interval(secs => 600 + " + h + " % 20000)")
        + " AS cleared_at, "
        + (open ? "NULL" : "'diagnostics'")
        + " AS cleared_by, "
        + (open
            ? "NULL"
            : "CASE WHEN " + h + " % 3 = 0 THEN 'fixed_remotely' ELSE 'condition_cleared' END")
        + " AS resolution, r.severity IN ('major', 'critical') AS open_ticket, "
        + (open ? "'exhausted'" : "CASE WHEN " + h + " % 3 = 0 THEN 'fixed' ELSE 'none' END")
        + " AS remediation_state"
        + " FROM generate_series(0, "
        + (devices - 1)
        + ") AS i JOIN "
        + rules
        + " ON r.n = "
        + h
        + " % 6"
        + " WHERE "
        + h
        + " % 100 < "
        + (open ? "4" : "60");
  }

  private static byte[] longBytes(long a, long b) {
    byte[] bytes = new byte[16];
    for (int k = 0; k < 8; k++) {
      bytes[k] = (byte) (a >>> (8 * k));
      bytes[8 + k] = (byte) (b >>> (8 * k));
    }
    return bytes;
  }
}
