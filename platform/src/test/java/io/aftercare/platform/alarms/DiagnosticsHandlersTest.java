package io.aftercare.platform.alarms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aftercare.bridge.DetectedIncidents;
import io.aftercare.bridge.SealedText;
import io.aftercare.diagnostics.DiagnosticsEngine;
import io.aftercare.diagnostics.HistoryRecord;
import io.aftercare.diagnostics.rules.RuleRegistry;
import io.aftercare.domain.DeviceEvent;
import io.aftercare.domain.Telemetry;
import io.aftercare.platform.audit.AuditLog;
import io.aftercare.platform.command.CommandCatalog;
import io.aftercare.platform.command.CommandService;
import io.aftercare.platform.command.SecondApprover;
import io.aftercare.platform.config.AftercareConfig;
import io.aftercare.platform.config.ConfigLoader;
import io.aftercare.platform.consent.OwnerConsent;
import io.aftercare.platform.db.Database;
import io.aftercare.platform.db.Jdbc;
import io.aftercare.platform.ingest.Uplink;
import io.aftercare.platform.logs.LogBundleIntake;
import io.aftercare.platform.remediation.AlarmDecisions;
import io.aftercare.platform.remediation.RemediationPolicy;
import io.aftercare.platform.remediation.RemoteFixFirst;
import io.aftercare.platform.worker.WorkerCalls;
import io.aftercare.testsupport.TestDatabases;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The diagnostics thread's handlers on a migrated database, driven directly. */
class DiagnosticsHandlersTest {

  private final TestDatabases.TestDatabase db = TestDatabases.fresh();
  private final Clock clock = Clock.systemUTC();
  private Vertx vertx;
  private Database database;
  private DiagnosticsHandlers handlers;
  private DeviceProfiles profiles;

  @BeforeEach
  void start() {
    AftercareConfig config =
        new ConfigLoader()
            .load(
                Map.of(
                    "database.url", db.url(),
                    "database.user", db.user(),
                    "database.password", db.password()));
    vertx = Vertx.vertx();
    database = Database.open(config.database(), db.url(), db.user(), db.password());
    Jdbc jdbc = new Jdbc(new WorkerCalls(vertx), database.dataSource());
    CommandCatalog catalog = CommandCatalog.builtIn();
    CommandService commands =
        new CommandService(
            jdbc,
            catalog,
            new AuditLog(jdbc),
            clock,
            10,
            SecondApprover.NONE,
            new OwnerConsent(clock, true),
            new LogBundleIntake(new SealedText(new byte[32])));
    RemoteFixFirst remoteFixFirst =
        new RemoteFixFirst(new RemediationPolicy(config.diagnostics().verifyWindow()), commands);
    profiles = new DeviceProfiles(database.dataSource());
    RuleRegistry rules = DiagnosticsService.loadRules(config.diagnostics(), catalog);
    handlers =
        new DiagnosticsHandlers(
            jdbc,
            profiles,
            new DiagnosticsEngine(rules),
            rules,
            remoteFixFirst,
            new AlarmDecisions(jdbc, remoteFixFirst, commands, clock),
            commands,
            clock,
            config.diagnostics().restoreWindow(),
            config.diagnostics().tickInterval(),
            config.diagnostics().homeOutage(),
            new FleetIncidents(
                rules,
                config.diagnostics().fleetIncident(),
                new DetectedIncidents(new SealedText(new byte[32]))),
            () -> true);
  }

  @AfterEach
  void stop() {
    database.close();
    vertx.close();
  }

  @Test
  void anAlarmChangeThatCannotBeStoredCostsOnlyItselfNotTheRestOfItsBatch() throws Exception {
    execute(
        "INSERT INTO devices (id, type, token_salt, token_hash, created_at)"
            + " VALUES ('thermo-gone', 'thermostat', '\\x00', '\\x00', now()),"
            + " ('thermo-ok', 'thermostat', '\\x00', '\\x00', now())");
    // Known to diagnostics, then deleted: its alarm cannot be stored (no such device any more).
    assertThat(profiles.of("thermo-gone")).isPresent();
    execute("DELETE FROM devices WHERE id = 'thermo-gone'");

    Instant now = clock.instant();
    handlers.handle(
        new DiagnosticsInbox.Committed(
            List.of(lowBattery("thermo-gone", now), lowBattery("thermo-ok", now))),
        () -> true);

    assertThat(alarmsOf("thermo-ok")).isEqualTo(1);
    assertThat(alarmsOf("thermo-gone")).isZero();
  }

  @Test
  void aRaiseRacingAnotherNodesRaiseOfTheSameAlarmAdoptsItInsteadOfFailing() throws Exception {
    execute(
        "INSERT INTO devices (id, type, token_salt, token_hash, created_at)"
            + " VALUES ('thermo-raced', 'thermostat', '\\x00', '\\x00', now())");
    // Another node is raising the same alarm: its transaction has inserted the row, not committed.
    try (Connection otherNode = db.connect()) {
      otherNode.setAutoCommit(false);
      try (PreparedStatement insert =
          otherNode.prepareStatement(
              "INSERT INTO alarms (device_id, rule_id, severity, status, category, raised_at,"
                  + " last_seen_at, count, open_ticket)"
                  + " VALUES ('thermo-raced', 'battery_low', 'major', 'active', 'power', now(),"
                  + " now(), 1, false)")) {
        insert.executeUpdate();
      }
      CompletableFuture<Void> thisNode =
          CompletableFuture.runAsync(
              () -> {
                try {
                  handlers.handle(
                      new DiagnosticsInbox.Committed(
                          List.of(lowBattery("thermo-raced", clock.instant()))),
                      () -> true);
                } catch (SQLException e) {
                  throw new IllegalStateException(e);
                }
              });
      // This node's insert waits for the other's transaction on the one-open-alarm index.
      await().atMost(Duration.ofSeconds(15)).until(() -> lockWaiters() > 0);
      otherNode.commit();
      thisNode.get(15, TimeUnit.SECONDS);
    }

    assertThat(alarmsOf("thermo-raced")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM alarm_events")).as("no raise of its own").isZero();
  }

  @Test
  void devicesNewToThisNodeInOneBatchAreEachRebuiltFromTheirOwnHistory() throws Exception {
    execute(
        "INSERT INTO devices (id, type, token_salt, token_hash, created_at)"
            + " VALUES ('thermo-alarmed', 'thermostat', '\\x00', '\\x00', now()),"
            + " ('thermo-fresh', 'thermostat', '\\x00', '\\x00', now()),"
            + " ('cam-flapping', 'camera', '\\x00', '\\x00', now()),"
            + " ('cam-steady', 'camera', '\\x00', '\\x00', now())");
    // Stored by another node (or before a restart): an open alarm, and two Wi-Fi drops of the
    // three that raise wifi_flapping.
    execute(
        "INSERT INTO alarms (device_id, rule_id, severity, status, category, raised_at,"
            + " last_seen_at, count, open_ticket) VALUES ('thermo-alarmed', 'battery_low',"
            + " 'major', 'active', 'power', now() - interval '5 minutes',"
            + " now() - interval '5 minutes', 1, false)");
    execute(
        "INSERT INTO device_events (device_id, ts, received_at, type, code)"
            + " SELECT 'cam-flapping', now() - m * interval '1 minute', now(), 'wifi',"
            + " 'W_DISCONNECTED' FROM generate_series(1, 2) AS m");

    Instant now = clock.instant();
    handlers.handle(
        new DiagnosticsInbox.Committed(
            List.of(
                lowBattery("thermo-alarmed", now),
                lowBattery("thermo-fresh", now),
                wifiDrop("cam-flapping", now),
                wifiDrop("cam-steady", now))),
        () -> true);

    // Each device got its own stored state back, none another's.
    assertThat(alarmsOf("thermo-alarmed")).isEqualTo(1);
    assertThat(alarmsOf("thermo-fresh")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM alarms WHERE rule_id = 'wifi_flapping'")).isEqualTo(1);
    assertThat(alarmsOf("cam-flapping")).isEqualTo(1);
    assertThat(alarmsOf("cam-steady")).isZero();
    assertThat(count("SELECT count(*) FROM alarm_events WHERE type = 'raised'"))
        .as("thermo-fresh's and cam-flapping's")
        .isEqualTo(2);
  }

  @Test
  void theHistoryCapIsPerDevice() throws Exception {
    execute(
        "INSERT INTO telemetry_documents (device_id, ts, metrics)"
            + " SELECT d, now() - s * interval '1 second', jsonb_build_object('temp_c', s)"
            + " FROM unnest(ARRAY['thermo-a', 'thermo-b']) AS d, generate_series(1, 5) AS s");
    execute(
        "INSERT INTO devices (id, type, token_salt, token_hash, created_at)"
            + " VALUES ('thermo-a', 'thermostat', '\\x00', '\\x00', now()),"
            + " ('thermo-b', 'thermostat', '\\x00', '\\x00', now())");

    Map<String, List<HistoryRecord>> history;
    try (Connection c = db.connect()) {
      history =
          HistoryLoader.since(
              c, List.of("thermo-a", "thermo-b"), clock.instant().minusSeconds(60), 3);
    }

    // The three newest of each, not the three newest of both.
    for (String device : List.of("thermo-a", "thermo-b")) {
      assertThat(history.get(device))
          .extracting(record -> ((HistoryRecord.TelemetryRecord) record).telemetry())
          .allMatch(telemetry -> telemetry.deviceId().equals(device))
          .extracting(telemetry -> telemetry.metrics().get("temp_c"))
          .containsExactlyInAnyOrder(1.0, 2.0, 3.0);
    }
  }

  private static Uplink wifiDrop(String deviceId, Instant ts) {
    return new Uplink.Event(new DeviceEvent(deviceId, ts, "wifi", "W_DISCONNECTED", null, null));
  }

  private long lockWaiters() throws SQLException {
    return count(
        "SELECT count(*) FROM pg_stat_activity"
            + " WHERE wait_event_type = 'Lock' AND datname = current_database()");
  }

  private long count(String sql) throws SQLException {
    try (Connection c = db.connect();
        PreparedStatement select = c.prepareStatement(sql);
        ResultSet rs = select.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Uplink lowBattery(String deviceId, Instant ts) {
    return new Uplink.TelemetryBatch(
        deviceId, List.of(new Telemetry(deviceId, ts, true, Map.of("battery_pct", 8.0))));
  }

  private long alarmsOf(String deviceId) throws SQLException {
    try (Connection c = db.connect();
        PreparedStatement select =
            c.prepareStatement("SELECT count(*) FROM alarms WHERE device_id = ?")) {
      select.setString(1, deviceId);
      try (ResultSet rs = select.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private void execute(String sql) throws SQLException {
    try (Connection c = db.connect();
        PreparedStatement statement = c.prepareStatement(sql)) {
      statement.executeUpdate();
    }
  }
}
