package io.aftercare.platform.healthcheck;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.diagnostics.rules.RuleRegistry;
import io.aftercare.platform.alarms.DiagnosticsService;
import io.aftercare.platform.command.CommandCatalog;
import io.aftercare.platform.config.AftercareConfig;
import io.aftercare.platform.config.ConfigLoader;
import io.aftercare.platform.db.Database;
import io.aftercare.platform.db.Jdbc;
import io.aftercare.platform.worker.WorkerCalls;
import io.aftercare.testsupport.TestDatabases;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Deciding post-fix health checks on a migrated database, driven directly: several nodes deciding
 * at once tell the bridge once; the default pack's fridge_warm rule's signal out of range fails a
 * check with the reading; a self-test still running keeps a check pending only while every other
 * part holds.
 */
class HealthChecksTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TestDatabases.TestDatabase DB = TestDatabases.fresh();

  private static Vertx vertx;
  private static Database database;
  private static Jdbc jdbc;
  private static RuleRegistry rules;

  @BeforeAll
  static void start() {
    AftercareConfig config =
        new ConfigLoader()
            .load(
                Map.of(
                    "database.url", DB.url(),
                    "database.user", DB.user(),
                    "database.password", DB.password()));
    vertx = Vertx.vertx();
    database = Database.open(config.database(), DB.url(), DB.user(), DB.password());
    jdbc = new Jdbc(new WorkerCalls(vertx), database.dataSource());
    rules = DiagnosticsService.loadRules(config.diagnostics(), CommandCatalog.builtIn());
  }

  @AfterAll
  static void stop() {
    database.close();
    vertx.close();
  }

  private static HealthChecks node() {
    return new HealthChecks(jdbc, rules, Duration.ofSeconds(30), Clock.systemUTC());
  }

  @Test
  void severalNodesDecidingAtOnceTellTheBridgeOnce() throws Exception {
    long alarm = clearedFridgeAlarm("fridge-hc-race", true);
    reading("fridge-hc-race", 4.0);

    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<Integer>> nodes =
        List.of(node(), node(), node()).stream()
            .map(
                node ->
                    CompletableFuture.supplyAsync(
                        () -> {
                          try {
                            go.await();
                          } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                          }
                          return node.decideDue();
                        }))
            .toList();
    go.countDown();
    int decided = 0;
    for (CompletableFuture<Integer> node : nodes) {
      decided += node.get(30, TimeUnit.SECONDS);
    }

    assertThat(decided).isEqualTo(1);
    assertThat(status(alarm)).isEqualTo("passed");
    assertThat(count("SELECT count(*) FROM ticket_requests WHERE alarm_id = " + alarm))
        .isEqualTo(1);
    JsonNode request = request(alarm, "alarm_cleared");
    assertThat(request.at("/healthCheck/passed").asBoolean()).isTrue();
    assertThat(request.at("/healthCheck/selfTest/status").asText()).isEqualTo("not_supported");
    assertThat(node().decideDue()).as("nothing left to decide").isZero();
  }

  @Test
  void theRulesSignalOutOfRangeFailsTheCheckWithTheReading() throws Exception {
    long alarm = clearedFridgeAlarm("fridge-hc-warm", true);
    reading("fridge-hc-warm", 4.0);
    reading("fridge-hc-warm", 9.5);

    node().decideDue();

    assertThat(status(alarm)).isEqualTo("failed");
    JsonNode evidence = request(alarm, "health_check_failed").get("healthCheck");
    assertThat(evidence.at("/ruleSignal/metric").asText()).isEqualTo("fridge_temp_c");
    assertThat(evidence.at("/ruleSignal/readings").asInt()).isEqualTo(2);
    assertThat(evidence.at("/ruleSignal/outOfRange").asInt()).isEqualTo(1);
    assertThat(evidence.at("/ruleSignal/firstOutOfRange/value").asDouble()).isEqualTo(9.5);
    assertThat(evidence.get("failures").toString()).contains("fridge_temp_c out of range");
  }

  @Test
  void aSelfTestStillRunningKeepsTheCheckPendingOnlyWhileEverythingElseHolds() throws Exception {
    long waiting = clearedFridgeAlarm("fridge-hc-wait", true);
    reading("fridge-hc-wait", 4.0);
    selfTest("fridge-hc-wait", waiting, "c-hc-wait");
    long offline = clearedFridgeAlarm("fridge-hc-off", false);
    reading("fridge-hc-off", 4.0);
    selfTest("fridge-hc-off", offline, "c-hc-off");

    node().decideDue();

    assertThat(status(waiting)).isEqualTo("pending");
    assertThat(count("SELECT count(*) FROM ticket_requests WHERE alarm_id = " + waiting)).isZero();
    // Offline: it fails now, whatever the self-test says later.
    assertThat(status(offline)).isEqualTo("failed");
    JsonNode failed = request(offline, "health_check_failed").get("healthCheck");
    assertThat(failed.get("online").asBoolean()).isFalse();
    assertThat(failed.at("/selfTest/status").asText()).isEqualTo("sent");

    execute(
        "UPDATE commands SET status = 'succeeded', completed_at = now(),"
            + " output = '{\"result\": \"pass\"}' WHERE id = 'c-hc-wait'");
    node().decideDue();

    assertThat(status(waiting)).isEqualTo("passed");
    JsonNode passed = request(waiting, "alarm_cleared").get("healthCheck");
    assertThat(passed.at("/selfTest/status").asText()).isEqualTo("succeeded");
    assertThat(passed.at("/selfTest/output/result").asText()).isEqualTo("pass");
  }

  /** A fridge whose fridge_warm alarm, which asked for a ticket, cleared a minute ago. */
  private static long clearedFridgeAlarm(String deviceId, boolean online) throws SQLException {
    execute(
        "INSERT INTO devices (id, type, token_salt, token_hash, created_at, online)"
            + " VALUES ('"
            + deviceId
            + "', 'fridge', '\\x00', '\\x00', now(), "
            + online
            + ")");
    execute(
        "INSERT INTO alarms (device_id, rule_id, severity, status, category, raised_at,"
            + " last_seen_at, count, open_ticket, remediation_state, cleared_at,"
            + " ticket_requested_at) VALUES ('"
            + deviceId
            + "', 'fridge_warm', 'major', 'cleared', 'device_fault', now() - interval '1 hour',"
            + " now() - interval '1 minute', 3, true, 'none', now() - interval '1 minute',"
            + " now() - interval '50 minutes')");
    long alarm = count("SELECT id FROM alarms WHERE device_id = '" + deviceId + "'");
    execute(
        "INSERT INTO health_checks (alarm_id, device_id, rule_id, category, severity, resolution,"
            + " cleared_at) VALUES ("
            + alarm
            + ", '"
            + deviceId
            + "', 'fridge_warm', 'device_fault', 'major', 'condition_cleared',"
            + " now() - interval '1 minute')");
    return alarm;
  }

  /** A document with the fridge's temperature, taken after the clear (the door closed). */
  private static void reading(String deviceId, double value) throws SQLException {
    execute(
        "INSERT INTO telemetry_documents (device_id, ts, metrics) VALUES ('"
            + deviceId
            + "', now() - interval '1 second' * (SELECT count(*) FROM telemetry_documents),"
            + " '{\"fridge_temp_c\": "
            + value
            + ", \"door_open\": 0}')");
  }

  /** The check's self-test, sent and not answered yet. */
  private static void selfTest(String deviceId, long alarm, String commandId) throws SQLException {
    execute(
        "INSERT INTO commands (id, device_id, name, params, risk, status, requested_by,"
            + " requested_from, idempotency_key, created_at, expires_at, delivery_timeout_ms)"
            + " VALUES ('"
            + commandId
            + "', '"
            + deviceId
            + "', 'run_self_test', '{}', 'low', 'sent', 'diagnostics-engine', 'diagnostics',"
            + " 'health-check-"
            + alarm
            + "', now(), now() + interval '1h', 60000)");
    execute(
        "UPDATE health_checks SET self_test_command_id = '"
            + commandId
            + "' WHERE alarm_id = "
            + alarm);
  }

  private static String status(long alarm) throws SQLException {
    try (Connection c = DB.connect();
        PreparedStatement select =
            c.prepareStatement("SELECT status FROM health_checks WHERE alarm_id = ?")) {
      select.setLong(1, alarm);
      try (ResultSet rs = select.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  /** The evidence of the alarm's one ticket request, which must be of {@code kind}. */
  private static JsonNode request(long alarm, String kind) throws Exception {
    try (Connection c = DB.connect();
        PreparedStatement select =
            c.prepareStatement(
                "SELECT kind, evidence::text FROM ticket_requests WHERE alarm_id = ?")) {
      select.setLong(1, alarm);
      try (ResultSet rs = select.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo(kind);
        JsonNode evidence = JSON.readTree(rs.getString(2));
        assertThat(rs.next()).as("one request").isFalse();
        return evidence;
      }
    }
  }

  private static long count(String sql) throws SQLException {
    try (Connection c = DB.connect();
        PreparedStatement select = c.prepareStatement(sql);
        ResultSet rs = select.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void execute(String sql) throws SQLException {
    try (Connection c = DB.connect();
        PreparedStatement statement = c.prepareStatement(sql)) {
      statement.executeUpdate();
    }
  }
}
