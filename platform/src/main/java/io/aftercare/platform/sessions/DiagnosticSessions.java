package io.aftercare.platform.sessions;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aftercare.bridge.TicketEvidence;
import io.aftercare.diagnostics.DiagnosticsEngine;
import io.aftercare.diagnostics.HistoryRecord;
import io.aftercare.diagnostics.alarm.AlarmChange;
import io.aftercare.diagnostics.alarm.AlarmChangeType;
import io.aftercare.diagnostics.rules.RuleSet;
import io.aftercare.diagnostics.rules.Severity;
import io.aftercare.platform.alarms.HistoryLoader;
import io.aftercare.platform.audit.AuditEntry;
import io.aftercare.platform.audit.AuditLog;
import io.aftercare.platform.command.Command;
import io.aftercare.platform.command.CommandRequest;
import io.aftercare.platform.command.CommandService;
import io.aftercare.platform.db.Jdbc;
import io.aftercare.platform.db.JsonColumn;
import io.aftercare.platform.device.DeviceRegistry;
import io.aftercare.platform.device.DeviceView;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.aftercare.platform.staff.StaffPrincipal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * On-demand diagnostic sessions: a technician asks "what is wrong with this device?" and gets a
 * report. A session runs the device's self-test (if it is online), evaluates the rules over its
 * recent history from the database with a fresh engine, gathers connectivity statistics, and
 * concludes with findings, a probable category and recommended actions. It works for offline
 * devices too, from history alone, and says so.
 */
public final class DiagnosticSessions {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int HISTORY_MAX_ROWS = 200_000;

  /** Recent sessions linked to a reported case, at most: the latest say what is wrong now. */
  public static final int RECENT_MAX = 5;

  private final Vertx vertx;
  private final Jdbc jdbc;
  private final DeviceRegistry devices;
  private final CommandService commands;
  private final Supplier<RuleSet> rules;
  private final Clock clock;
  private final Duration history;
  private final Duration selfTestTimeout;

  public DiagnosticSessions(
      Vertx vertx,
      Jdbc jdbc,
      DeviceRegistry devices,
      CommandService commands,
      Supplier<RuleSet> rules,
      Clock clock,
      Duration history,
      Duration selfTestTimeout) {
    this.vertx = vertx;
    this.jdbc = jdbc;
    this.devices = devices;
    this.commands = commands;
    this.rules = rules;
    this.clock = clock;
    this.history = history;
    this.selfTestTimeout = selfTestTimeout;
  }

  /** Starts a session; completes with its id at once, the report follows. */
  public Future<String> start(String deviceId, StaffPrincipal by, String from) {
    return devices
        .find(deviceId)
        .compose(
            device -> {
              if (device.isEmpty()) {
                return Future.failedFuture(
                    new ServiceException(Failure.NOT_FOUND, "no such device"));
              }
              byte[] random = new byte[8];
              RANDOM.nextBytes(random);
              String id = "d-" + HexFormat.of().formatHex(random);
              Instant now = clock.instant();
              return jdbc.transaction(
                      c -> {
                        try (PreparedStatement insert =
                            c.prepareStatement(
                                "INSERT INTO diagnostic_sessions (id, device_id, requested_by, status,"
                                    + " created_at) VALUES (?, ?, ?, 'running', ?)")) {
                          insert.setString(1, id);
                          insert.setString(2, deviceId);
                          insert.setString(3, by.name());
                          insert.setTimestamp(4, Timestamp.from(now));
                          insert.executeUpdate();
                        }
                        AuditLog.append(
                            c,
                            AuditEntry.of(
                                    by.name(),
                                    "diagnostics.start",
                                    "device/" + deviceId,
                                    AuditEntry.Outcome.ALLOWED,
                                    from)
                                .withDetail(Map.of("diagnosticId", id)));
                        return id;
                      })
                  .onSuccess(started -> run(started, device.get(), by));
            });
  }

  /** The session: status, and the report once completed. */
  public Future<Optional<ObjectNode>> find(String id) {
    return jdbc.call(
        c -> {
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT id, device_id, requested_by, status, created_at, completed_at, report::text AS report"
                      + " FROM diagnostic_sessions WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet rs = select.executeQuery()) {
              if (!rs.next()) {
                return Optional.<ObjectNode>empty();
              }
              ObjectNode session = JSON.objectNode();
              session
                  .put("diagnosticId", rs.getString("id"))
                  .put("deviceId", rs.getString("device_id"));
              session
                  .put("requestedBy", rs.getString("requested_by"))
                  .put("status", rs.getString("status"));
              session.put("createdAt", rs.getTimestamp("created_at").toInstant().toString());
              if (rs.getTimestamp("completed_at") != null) {
                session.put("completedAt", rs.getTimestamp("completed_at").toInstant().toString());
              }
              if (rs.getString("report") != null) {
                session.set("report", JsonColumn.read(rs.getString("report")));
              }
              return Optional.of(session);
            }
          }
        });
  }

  /**
   * The device's sessions started within {@code window} before now, newest first, at most {@link
   * #RECENT_MAX}: the diagnostics a customer-reported case of the device is linked to.
   */
  public Future<List<TicketEvidence.DiagnosticSession>> recentOf(String deviceId, Duration window) {
    Instant since = clock.instant().minus(window);
    return jdbc.call(
        c -> {
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT id, status, created_at, completed_at, report::text AS report"
                      + " FROM diagnostic_sessions WHERE device_id = ? AND created_at >= ?"
                      + " ORDER BY created_at DESC LIMIT ?")) {
            select.setString(1, deviceId);
            select.setTimestamp(2, Timestamp.from(since));
            select.setInt(3, RECENT_MAX);
            List<TicketEvidence.DiagnosticSession> sessions = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
              while (rs.next()) {
                Timestamp completed = rs.getTimestamp("completed_at");
                String report = rs.getString("report");
                sessions.add(
                    new TicketEvidence.DiagnosticSession(
                        rs.getString("id"),
                        rs.getString("status"),
                        rs.getTimestamp("created_at").toInstant(),
                        completed == null ? null : completed.toInstant(),
                        report == null ? null : JsonColumn.read(report)));
              }
            }
            return sessions;
          }
        });
  }

  private void run(String sessionId, DeviceView device, StaffPrincipal by) {
    selfTest(device, by)
        .recover(error -> Future.succeededFuture(selfTestUnavailable(error.getMessage())))
        .compose(selfTest -> jdbc.call(c -> report(c, device, selfTest)))
        .onComplete(
            result ->
                jdbc.call(
                    c -> {
                      try (PreparedStatement update =
                          c.prepareStatement(
                              "UPDATE diagnostic_sessions SET status = ?, completed_at = ?,"
                                  + " report = ?::jsonb WHERE id = ?")) {
                        update.setString(1, result.succeeded() ? "completed" : "failed");
                        update.setTimestamp(2, Timestamp.from(clock.instant()));
                        update.setString(
                            3,
                            result.succeeded()
                                ? result.result().toString()
                                : JSON.objectNode()
                                    .put("error", result.cause().getMessage())
                                    .toString());
                        update.setString(4, sessionId);
                        update.executeUpdate();
                      }
                      return null;
                    }));
  }

  /** Sends run_self_test to an online device and waits for its final result, up to a limit. */
  private Future<ObjectNode> selfTest(DeviceView device, StaffPrincipal by) {
    if (!device.online()) {
      return Future.succeededFuture(
          selfTestUnavailable("device offline: findings from history only"));
    }
    return commands
        .submit(
            device.id(),
            new CommandRequest("run_self_test", JSON.objectNode().put("component", "all"), 60L),
            by,
            "diagnostics",
            null)
        .compose(command -> awaitFinal(command.id(), clock.instant().plus(selfTestTimeout)))
        .map(
            command -> {
              ObjectNode result = JSON.objectNode();
              result.put("commandId", command.id()).put("status", command.status().wireName());
              result.set("output", JsonColumn.read(command.outputJson()));
              return result;
            });
  }

  private Future<Command> awaitFinal(String commandId, Instant deadline) {
    return commands
        .find(commandId)
        .compose(
            command -> {
              if (command.isPresent()
                  && (command.get().status().isFinal() || !clock.instant().isBefore(deadline))) {
                return Future.succeededFuture(command.get());
              }
              return vertx.timer(500).compose(v -> awaitFinal(commandId, deadline));
            });
  }

  private static ObjectNode selfTestUnavailable(String why) {
    return JSON.objectNode().put("status", "not_run").put("reason", why);
  }

  private ObjectNode report(java.sql.Connection c, DeviceView device, ObjectNode selfTest)
      throws java.sql.SQLException {
    Instant now = clock.instant();
    Instant from = now.minus(history);
    List<HistoryRecord> records = HistoryLoader.since(c, device.id(), from, HISTORY_MAX_ROWS);
    DiagnosticsEngine engine = new DiagnosticsEngine(rules);
    Map<String, AlarmChange> findings = new LinkedHashMap<>();
    records.sort(java.util.Comparator.comparing(HistoryRecord::at));
    for (HistoryRecord record : records) {
      List<AlarmChange> changes =
          record instanceof HistoryRecord.TelemetryRecord t
              ? engine.onTelemetry(t.device(), t.telemetry())
              : record instanceof HistoryRecord.EventRecord e
                  ? engine.onEvent(e.device(), e.event())
                  : engine.onConnectivity(
                      ((HistoryRecord.ConnectivityRecord) record).device(),
                      ((HistoryRecord.ConnectivityRecord) record).change(),
                      record.at());
      collect(findings, changes);
    }
    collect(findings, engine.tick(now));

    ObjectNode report = JSON.objectNode();
    report.put("deviceId", device.id()).put("deviceType", device.type());
    report.put("from", from.toString()).put("to", now.toString());
    report.put("historyOnly", !device.online());
    report.set("selfTest", selfTest);
    report.set("connectivity", ConnectivityStats.of(c, device.id(), from, now));
    ArrayNode list = report.putArray("findings");
    ArrayNode actions = report.putArray("recommendedActions");
    String probable = null;
    AlarmChange worst = null;
    for (AlarmChange finding : findings.values()) {
      ObjectNode item = list.addObject();
      item.put("ruleId", finding.ruleId()).put("description", finding.description());
      item.put("severity", finding.severity().wireName());
      item.put("category", finding.category().name().toLowerCase(java.util.Locale.ROOT));
      item.put("stillActive", finding.type() != AlarmChangeType.CLEARED);
      ObjectNode evidence = item.putObject("evidence");
      evidence.put("firstSeen", finding.alarm().raisedAt().toString());
      evidence.put("lastSeen", finding.alarm().lastSeenAt().toString());
      evidence.put("count", finding.alarm().count());
      if (!Double.isNaN(finding.alarm().peakValue())) {
        evidence.put("peakValue", finding.alarm().peakValue());
      }
      finding.remedies().forEach(remedy -> actions.add("remote: " + remedy.command()));
      if (worst == null || finding.severity().isAbove(worst.severity())) {
        worst = finding;
      }
    }
    SelfTestVerdict verdict = SelfTestVerdict.of(selfTest);
    if (verdict.failed()) {
      ObjectNode item = list.addObject();
      item.put("ruleId", "self_test");
      item.put("description", "the device's self-test failed: " + verdict.failingComponents());
      item.put("severity", Severity.MAJOR.wireName());
      item.put("category", "device_fault");
      item.put("stillActive", true);
      ObjectNode evidence = item.putObject("evidence");
      evidence.put("commandId", selfTest.path("commandId").asText());
      verdict.failingComponents().forEach(evidence.putArray("failingComponents")::add);
      actions.add(
          "on-site check or replacement of the components that failed the self-test: "
              + String.join(", ", verdict.failingComponents()));
    }
    if (worst != null) {
      probable = worst.category().name().toLowerCase(java.util.Locale.ROOT);
    }
    // The device's own test of its hardware outweighs any history finding that is not worse.
    if (verdict.failed() && (worst == null || !worst.severity().isAbove(Severity.MAJOR))) {
      probable = "device_fault";
    } else if (worst == null && !device.online()) {
      probable = "connectivity";
    }
    if (!device.online()) {
      actions.add(offlineAdvice(device, now));
    }
    if ("failed".equals(selfTest.path("status").asText())) {
      actions.add("self-test failed: check the failing components in selfTest.output");
    }
    if (worst != null && worst.remedies().isEmpty()) {
      actions.add("on-site visit or replacement: no remote remedy for " + worst.ruleId());
    }
    if (probable == null) {
      report.putNull("probableCategory");
      actions.add("no fault found in the history; ask the customer for symptoms");
    } else {
      report.put("probableCategory", probable);
    }
    return report;
  }

  /** What a technician checks first when a device has gone quiet. */
  private static String offlineAdvice(DeviceView device, Instant now) {
    String since =
        device.lastSeenAt() == null
            ? "never heard from"
            : "silent for " + Duration.between(device.lastSeenAt(), now).toSeconds() + " s";
    return "device offline ("
        + since
        + "): check its power supply and its network (router, Wi-Fi signal) with the customer;"
        + " remote commands wait until it reconnects";
  }

  /** Keeps, per rule, the latest change: it says whether the fault is still there. */
  private static void collect(Map<String, AlarmChange> findings, List<AlarmChange> changes) {
    for (AlarmChange change : changes) {
      if (change.type() != AlarmChangeType.ACKNOWLEDGED) {
        findings.put(change.ruleId(), change);
      }
    }
  }
}
