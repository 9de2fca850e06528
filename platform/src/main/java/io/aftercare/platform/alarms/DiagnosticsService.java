package io.aftercare.platform.alarms;

import io.aftercare.diagnostics.condition.ConditionCompiler;
import io.aftercare.diagnostics.rules.Rule;
import io.aftercare.diagnostics.rules.RuleLoader;
import io.aftercare.diagnostics.rules.RuleRegistry;
import io.aftercare.diagnostics.rules.RuleValidationException;
import io.aftercare.platform.audit.AuditEntry;
import io.aftercare.platform.audit.AuditLog;
import io.aftercare.platform.command.CommandCatalog;
import io.aftercare.platform.config.AftercareConfig;
import io.aftercare.platform.playbook.StaffPlaybookRuns;
import io.aftercare.platform.remediation.CatalogRemedyCheck;
import io.aftercare.platform.sessions.DiagnosticSessions;
import io.aftercare.platform.staff.StaffPrincipal;
import io.aftercare.platform.worker.WorkerCalls;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The diagnostics side of the platform as the API and the launcher see it: the rule registry
 * (default pack plus the operator folder) and its reload, the engine's runner and its tick, alarms,
 * on-demand sessions. {@code Platform} assembles the parts.
 */
public final class DiagnosticsService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DiagnosticsService.class);

  /** What a reload did: whether the new rules are in force, how many, and the problems if not. */
  public record ReloadResult(boolean applied, int activeRules, List<String> errors) {}

  private final Vertx vertx;
  private final WorkerCalls workers;
  private final RuleRegistry rules;
  private final DiagnosticsRunner runner;
  private final Alarms alarms;
  private final DiagnosticSessions sessions;
  private final StaffPlaybookRuns playbookRuns;
  private final AuditLog audit;
  private final AftercareConfig.Diagnostics config;
  private final List<Runnable> reloadListeners = new CopyOnWriteArrayList<>();

  public DiagnosticsService(
      Vertx vertx,
      WorkerCalls workers,
      RuleRegistry rules,
      DiagnosticsRunner runner,
      Alarms alarms,
      DiagnosticSessions sessions,
      StaffPlaybookRuns playbookRuns,
      AuditLog audit,
      AftercareConfig.Diagnostics config) {
    this.vertx = vertx;
    this.workers = workers;
    this.rules = rules;
    this.runner = runner;
    this.alarms = alarms;
    this.sessions = sessions;
    this.playbookRuns = playbookRuns;
    this.audit = audit;
    this.config = config;
  }

  /** The default rule pack plus the operator folder; invalid rules stop the start. */
  public static RuleRegistry loadRules(AftercareConfig.Diagnostics config, CommandCatalog catalog) {
    Path folder =
        config.rulesDir() == null || config.rulesDir().isBlank()
            ? null
            : Path.of(config.rulesDir());
    try {
      return RuleRegistry.start(
          new RuleLoader(new ConditionCompiler(), new CatalogRemedyCheck(catalog)), folder);
    } catch (RuleValidationException e) {
      throw new IllegalStateException("invalid rules:\n  " + String.join("\n  ", e.errors()), e);
    }
  }

  /** Restores the engine from the database and starts the runner and its tick. */
  public void start() {
    runner.start();
    vertx.setPeriodic(config.tickInterval().toMillis(), id -> runner.tick());
    workers
        .run(playbookRuns::sweep)
        .onSuccess(
            moved -> {
              if (moved > 0) {
                LOG.warn("{} playbook runs had a command result not acted on: moved on now", moved);
              }
            })
        .onFailure(e -> LOG.error("Could not move on the playbook runs left over", e));
    LOG.info("Diagnostics running with {} rules", rules.get().rules().size());
  }

  public DiagnosticsRunner runner() {
    return runner;
  }

  public Alarms alarms() {
    return alarms;
  }

  public DiagnosticSessions sessions() {
    return sessions;
  }

  public StaffPlaybookRuns playbookRuns() {
    return playbookRuns;
  }

  public List<Rule> activeRules() {
    return rules.get().rules();
  }

  /**
   * Registers {@code listener}, told after each reload by staff on this node that put new rules in
   * force (the cluster passes it on to the other nodes).
   */
  public void onReloaded(Runnable listener) {
    reloadListeners.add(listener);
  }

  /** Re-reads the operator folder; an invalid edit keeps the rules in force and says why. */
  public Future<ReloadResult> reload(StaffPrincipal by, String from) {
    return workers
        .run(rules::reload)
        .onSuccess(
            outcome -> {
              if (outcome.applied()) {
                reloadListeners.forEach(Runnable::run);
              }
            })
        .compose(
            outcome -> {
              AuditEntry entry =
                  AuditEntry.of(
                      by.name(),
                      "rules.reload",
                      "rules",
                      outcome.applied() ? AuditEntry.Outcome.ALLOWED : AuditEntry.Outcome.FAILED,
                      from);
              return audit
                  .record(entry)
                  .map(
                      v ->
                          new ReloadResult(
                              outcome.applied(),
                              outcome.active().rules().size(),
                              outcome.errors()));
            });
  }

  /**
   * Re-reads the operator folder because staff reloaded the rules on node {@code origin}; audited
   * there. Every node should hold the same rule files: a folder this node refuses keeps its rules
   * in force and is logged here.
   */
  public Future<Void> reloadAsOn(String origin) {
    return workers
        .run(rules::reload)
        .map(
            outcome -> {
              if (outcome.applied()) {
                LOG.info(
                    "Rules reloaded as on node {}: {} rules in force",
                    origin,
                    outcome.active().rules().size());
              } else {
                LOG.warn(
                    "Rules reloaded on node {} but this node's rule folder was refused; its"
                        + " previous rules stay in force:\n  {}",
                    origin,
                    String.join("\n  ", outcome.errors()));
              }
              return null;
            });
  }

  @Override
  public void close() {
    runner.close();
  }
}
