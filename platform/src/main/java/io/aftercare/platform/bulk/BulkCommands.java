package io.aftercare.platform.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.bridge.SealedText;
import io.aftercare.platform.audit.AuditEntry;
import io.aftercare.platform.audit.AuditLog;
import io.aftercare.platform.command.CommandRequest;
import io.aftercare.platform.command.CommandService;
import io.aftercare.platform.command.CommandSpec;
import io.aftercare.platform.config.AftercareConfig;
import io.aftercare.platform.db.Jdbc;
import io.aftercare.platform.device.DeviceListQuery;
import io.aftercare.platform.device.FleetSelection;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.aftercare.platform.staff.StaffPrincipal;
import io.vertx.core.Future;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Bulk commands: one command to every device in service that a fleet filter matches. A preview
 * counts them; a submission confirms that count, fixes the targets and is audited as one entry;
 * {@link BulkDispatcher} then submits each device's command.
 */
public final class BulkCommands {

  /** How many device ids a preview shows. */
  public static final int SAMPLE_SIZE = 20;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Jdbc jdbc;
  private final CommandService commands;
  private final BulkDispatcher dispatcher;
  private final AftercareConfig.Bulk limits;
  private final Clock clock;
  private final SealedText sealed;

  public BulkCommands(
      Jdbc jdbc,
      CommandService commands,
      BulkDispatcher dispatcher,
      AftercareConfig.Bulk limits,
      Clock clock,
      SealedText sealed) {
    this.jdbc = jdbc;
    this.commands = commands;
    this.dispatcher = dispatcher;
    this.limits = limits;
    this.clock = clock;
    this.sealed = sealed;
  }

  /** What a submission would target: how many devices, the first of them by id, the command. */
  public record Preview(int count, List<String> sample, String command) {}

  /** What became of a submission. */
  public sealed interface Submission {
    /** Stored; the dispatcher has started on it. */
    record Accepted(BulkCommand batch) implements Submission {}

    /** The filter now matches {@code count} devices, not the count the caller confirmed. */
    record CountChanged(int count) implements Submission {}

    /** The member already has as many batches dispatching as allowed. */
    record Busy(long retryAfterSeconds) implements Submission {}
  }

  /**
   * Counts the targets, read-only.
   *
   * @throws ServiceException for a command, params or role a single command would refuse
   */
  public Future<Preview> preview(
      DeviceListQuery filter, CommandRequest request, StaffPrincipal by, String from) {
    CommandSpec spec = commands.checkForBatch(request, by, from);
    return jdbc.call(c -> targets(c, filter))
        .map(
            ids ->
                new Preview(
                    ids.size(), ids.subList(0, Math.min(SAMPLE_SIZE, ids.size())), spec.name()));
  }

  /**
   * Stores the batch and its targets if the filter still matches {@code expectedCount} devices,
   * audited as one {@code bulk_command.submit} entry, and wakes the dispatcher.
   *
   * @param given the filters as the caller gave them, kept with the batch
   * @throws ServiceException as {@link #preview}, and for a filter matching no device
   */
  public Future<Submission> submit(
      DeviceListQuery filter,
      Map<String, String> given,
      CommandRequest request,
      int expectedCount,
      StaffPrincipal by,
      String from) {
    CommandSpec spec = commands.checkForBatch(request, by, from);
    return jdbc.transaction(c -> submit(c, spec, filter, given, request, expectedCount, by, from))
        .onSuccess(
            submission -> {
              if (submission instanceof Submission.Accepted) {
                dispatcher.wake();
              }
            });
  }

  private Submission submit(
      Connection c,
      CommandSpec spec,
      DeviceListQuery filter,
      Map<String, String> given,
      CommandRequest request,
      int expectedCount,
      StaffPrincipal by,
      String from)
      throws SQLException {
    BulkCommandStore.lockMember(c, by.name());
    BulkCommandStore.Running running = BulkCommandStore.running(c, by.name());
    if (running.batches() >= limits.maxRunningPerMember()) {
      // When the member's running batches should be through, at the configured rate.
      long seconds = (running.targetsLeft() + limits.ratePerSecond() - 1) / limits.ratePerSecond();
      return new Submission.Busy(Math.max(1, seconds));
    }
    List<String> ids = targets(c, filter);
    if (ids.size() != expectedCount) {
      return new Submission.CountChanged(ids.size());
    }
    if (ids.isEmpty()) {
      throw new ServiceException(Failure.INVALID_INPUT, "'filter' matches no device in service");
    }
    JsonNode params = request.params();
    String paramsJson = params == null || params.isNull() ? "{}" : params.toString();
    String id = newId();
    BulkCommandStore.insert(
        c,
        new BulkCommandStore.NewBatch(
            id,
            spec.name(),
            paramsJson,
            request.ttlSeconds(),
            PersonalFilters.sealed(given, sealed),
            by,
            from,
            clock.instant()),
        ids);
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("command", spec.name());
    detail.put(
        "params",
        params == null || params.isNull()
            ? Map.of()
            : commands.catalog().masked(spec.name(), params));
    // The audit log is kept for ever and in clear: it records which personal filters were used,
    // never their values (as a device edit's entry does).
    detail.put("filter", PersonalFilters.masked(given));
    detail.put("count", ids.size());
    AuditLog.append(
        c,
        AuditEntry.of(
                by.name(),
                "bulk_command.submit",
                "bulk-command/" + id,
                AuditEntry.Outcome.ALLOWED,
                from)
            .withDetail(detail));
    return new Submission.Accepted(forStaff(BulkCommandStore.find(c, id).orElseThrow()));
  }

  /** The batch with each target's result. */
  public Future<Optional<BulkCommand>> find(String id) {
    return jdbc.call(
        c -> {
          Optional<BulkCommand> batch = BulkCommandStore.find(c, id).map(this::forStaff);
          if (batch.isEmpty()) {
            return batch;
          }
          return Optional.of(batch.get().withResults(BulkCommandStore.results(c, id)));
        });
  }

  /** A batch in the list, with its place there (for the next page's cursor). */
  public record Listed(long seq, BulkCommand batch) {}

  /** A page of batches, newest first, each without its results. */
  public Future<List<Listed>> list(Long beforeSeq, int limit) {
    return jdbc.call(
        c ->
            BulkCommandStore.list(c, beforeSeq, limit).stream()
                .map(listed -> new Listed(listed.seq(), forStaff(listed.batch())))
                .toList());
  }

  /** The batch as staff read it: secret parameter values masked. */
  private BulkCommand forStaff(BulkCommand batch) {
    return batch.asShown(
        commands.catalog().masked(batch.command(), batch.params()),
        PersonalFilters.opened(batch.filter(), sealed));
  }

  /** The matching devices in service, refused above the configured maximum. */
  private List<String> targets(Connection c, DeviceListQuery filter) throws SQLException {
    List<String> ids = FleetSelection.inService(c, filter, sealed, limits.maxTargets() + 1);
    if (ids.size() > limits.maxTargets()) {
      throw new ServiceException(
          Failure.INVALID_INPUT,
          "'filter' matches more than "
              + limits.maxTargets()
              + " devices, the most one batch may target (commands.bulk.maxTargets); narrow it");
    }
    return ids;
  }

  private static String newId() {
    byte[] id = new byte[8];
    RANDOM.nextBytes(id);
    return "b-" + HexFormat.of().formatHex(id);
  }
}
