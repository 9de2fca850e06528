package io.aftercare.platform.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aftercare.domain.CommandResult;
import io.aftercare.platform.audit.AuditEntry;
import io.aftercare.platform.audit.AuditLog;
import io.aftercare.platform.consent.CommandClass;
import io.aftercare.platform.consent.OwnerConsent;
import io.aftercare.platform.db.Jdbc;
import io.aftercare.platform.device.DeviceFirmware;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.aftercare.platform.logs.LogBundleIntake;
import io.aftercare.platform.staff.StaffPrincipal;
import io.vertx.core.Future;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remote-assist commands: submission (catalog, parameters, role, idempotency, per-device limit),
 * delivery bookkeeping, device results and the life cycle of {@link CommandLifecycle}. Every change
 * is one transaction with its history row and, where people or devices act, its audit entry; a
 * submission can also join the caller's transaction ({@link #submit(Connection, String,
 * CommandRequest, StaffPrincipal, String, String)}), as remote-fix-first's does. Whoever waits for
 * results registers with {@link #onFinished} instead of polling.
 */
public final class CommandService {

  private static final Logger LOG = LoggerFactory.getLogger(CommandService.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int SWEEP_BATCH = 500;
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final ObjectMapper PARAMS = new ObjectMapper();

  private final Jdbc jdbc;
  private final CommandCatalog catalog;
  private final AuditLog audit;
  private final Clock clock;
  private final int maxOpenPerDevice;
  private final SecondApprover secondApprover;
  private final OwnerConsent consent;
  private final LogBundleIntake logBundles;
  private final List<CommandChannel> channels = new CopyOnWriteArrayList<>();
  private final List<Consumer<CommandFinished>> finishedListeners = new CopyOnWriteArrayList<>();
  private volatile Consumer<String> wakeUpRoute = this::wakeHere;

  public CommandService(
      Jdbc jdbc,
      CommandCatalog catalog,
      AuditLog audit,
      Clock clock,
      int maxOpenPerDevice,
      SecondApprover secondApprover,
      OwnerConsent consent,
      LogBundleIntake logBundles) {
    this.jdbc = jdbc;
    this.catalog = catalog;
    this.audit = audit;
    this.clock = clock;
    this.maxOpenPerDevice = maxOpenPerDevice;
    this.secondApprover = secondApprover.checkedAgainst(catalog);
    this.consent = consent;
    this.logBundles = logBundles;
  }

  /** The catalog submissions are checked against, for the console's command panel. */
  public CommandCatalog catalog() {
    return catalog;
  }

  /** Whether staff need the owner's support session to send a command of {@code commandClass}. */
  public boolean needsConsent(CommandClass commandClass) {
    return consent.needed(commandClass);
  }

  public void addChannel(CommandChannel channel) {
    channels.add(channel);
  }

  /**
   * Registers a listener told, after each commit, of every command that reached a final status. It
   * runs on the committing thread and must not block.
   */
  public void onFinished(Consumer<CommandFinished> listener) {
    finishedListeners.add(listener);
  }

  /**
   * Submits a staff member's command for {@code deviceId}: beyond read-only diagnostics it needs
   * the owner's support session covering the device and the command's class ({@link OwnerConsent}).
   * Retrying with the same {@code idempotencyKey} returns the command created the first time.
   */
  public Future<Command> submit(
      String deviceId,
      CommandRequest request,
      StaffPrincipal by,
      String from,
      String idempotencyKey) {
    return jdbc.transaction(
            c -> {
              String deviceType = deviceType(c, deviceId);
              CommandSpec spec = checkAllowed(deviceType, request, by, deviceId, from);
              Command command = newCommand(deviceId, request, spec, by);
              Optional<Consent> consented = consentFor(c, command, request, by, from);
              return insertOnce(c, command, from, idempotencyKey, true, consented);
            })
        .onSuccess(command -> wake(command.deviceId()));
  }

  /** The owner's session a command of a staff member is sent under; empty for diagnostics. */
  private record Consent(String sessionId, CommandClass commandClass, StaffPrincipal by) {}

  /**
   * The session that lets {@code command} through, or the refusal (audited as {@code
   * command.submit}, denied) when it needs one and none covers it.
   */
  private Optional<Consent> consentFor(
      Connection c, Command command, CommandRequest request, StaffPrincipal by, String from)
      throws SQLException {
    CommandClass commandClass = catalog.commandClass(command.name(), paramsOf(request));
    if (!consent.needed(commandClass)) {
      return Optional.empty();
    }
    Optional<String> session = consent.activeSession(c, command.deviceId(), commandClass);
    if (session.isEmpty()) {
      audit.record(
          AuditEntry.of(
                  by.name(),
                  "command.submit",
                  "device/" + command.deviceId(),
                  AuditEntry.Outcome.DENIED,
                  from)
              .withDetail(
                  JSON.objectNode()
                      .put("command", command.name())
                      .put("commandClass", commandClass.wireName())
                      .put("reason", "no owner consent")
                      .toString()));
      throw OwnerConsent.required(command.deviceId(), commandClass);
    }
    return Optional.of(new Consent(session.get(), commandClass, by));
  }

  private static JsonNode paramsOf(CommandRequest request) {
    return request.params() == null || request.params().isNull()
        ? JsonNodeFactory.instance.objectNode()
        : request.params();
  }

  private static String deviceType(Connection c, String deviceId) throws SQLException {
    return CommandStore.deviceType(c, deviceId)
        .orElseThrow(() -> new ServiceException(Failure.NOT_FOUND, "no such device"));
  }

  /**
   * The platform's own submission (remote-fix-first's remedies): checks the request and stores the
   * command in the caller's transaction, so that it exists if and only if the caller's other
   * changes commit. The caller calls {@link #wake} after its commit; a device that is not connected
   * then gets the command from {@link #pending} when it connects. It asks for no owner's session: a
   * rule's remedy is what an operator configured, not a staff member reaching into a home
   * (docs/privacy.md, "Support sessions").
   *
   * @throws ServiceException when the command is refused (unknown device or command, role, limits)
   */
  public Command submit(
      Connection c,
      String deviceId,
      CommandRequest request,
      StaffPrincipal by,
      String from,
      String idempotencyKey)
      throws SQLException {
    CommandSpec spec = checkAllowed(deviceType(c, deviceId), request, by, deviceId, from);
    return insertOnce(
        c, newCommand(deviceId, request, spec, by), from, idempotencyKey, true, Optional.empty());
  }

  /**
   * Sends the wake-ups of {@link #wake} through {@code route} instead of straight to this node's
   * channels: the platform routes them over the event bus to every node ({@code CommandWakeUps}),
   * whose channels then get {@link #wakeHere}.
   */
  public void routeWakeUps(Consumer<String> route) {
    wakeUpRoute = route;
  }

  /**
   * Tells the channels that {@code deviceId} has queued commands, wherever the device is connected;
   * call after the commit.
   */
  public void wake(String deviceId) {
    wakeUpRoute.accept(deviceId);
  }

  /** Tells this node's channels that {@code deviceId} has queued commands. */
  public void wakeHere(String deviceId) {
    for (CommandChannel channel : channels) {
      try {
        channel.wake(deviceId);
      } catch (RuntimeException e) {
        LOG.warn("Command channel failed to wake {}", deviceId, e);
      }
    }
  }

  /**
   * A step of a playbook run a staff member started: checked, put through the owner-consent check
   * and stored like their own command, in the caller's transaction (the caller calls {@link #wake}
   * after its commit). The run's {@code playbook_run.start} entry audits it, not an entry of its
   * own; a refusal for want of consent is audited like any other.
   *
   * @throws ServiceException when the command is refused (as {@link #submitForBatch})
   */
  public Command submitForPlaybookRun(
      Connection c,
      String deviceId,
      CommandRequest request,
      StaffPrincipal by,
      String from,
      String idempotencyKey)
      throws SQLException {
    return submitForBatch(c, deviceId, request, by, from, idempotencyKey);
  }

  /**
   * One device's command of a bulk batch: checked and stored like any other (in the caller's
   * transaction; the caller calls {@link #wake} after its commit) but not audited on its own: the
   * batch's one {@code bulk_command.submit} entry covers every command it sends, and each command
   * is tied to its batch by {@code idempotencyKey} and the batch's target row.
   *
   * @throws ServiceException when this device refuses the command (unknown device, a type without
   *     the command, too many commands open, no owner's session for a command that needs one)
   */
  public Command submitForBatch(
      Connection c,
      String deviceId,
      CommandRequest request,
      StaffPrincipal by,
      String from,
      String idempotencyKey)
      throws SQLException {
    CommandSpec spec = checkAllowed(deviceType(c, deviceId), request, by, deviceId, from);
    Command command = newCommand(deviceId, request, spec, by);
    Optional<Consent> consented = consentFor(c, command, request, by, from);
    return insertOnce(c, command, from, idempotencyKey, false, consented);
  }

  /**
   * Checks a bulk batch's command once for all its devices, as {@link #submit} checks one: the
   * command is in the catalog, the caller's role may send it (a refusal is audited as {@code
   * bulk_command.submit}), its params and ttl are valid. Whether each device's type supports it is
   * checked when that device's command is submitted.
   */
  public CommandSpec checkForBatch(CommandRequest request, StaffPrincipal by, String from) {
    if (request.name() == null) {
      throw invalid("missing field 'command'");
    }
    CommandSpec spec =
        catalog
            .spec(request.name())
            .orElseThrow(() -> invalid("'command': unknown command '" + request.name() + "'"));
    requireRole(spec, by, "bulk_command.submit", "bulk-commands", from);
    checkParams(spec, null, request);
    return spec;
  }

  private CommandSpec checkAllowed(
      String deviceType, CommandRequest request, StaffPrincipal by, String deviceId, String from) {
    if (request.name() == null) {
      throw invalid("missing field 'name'");
    }
    CommandSpec spec =
        catalog
            .find(deviceType, request.name())
            .orElseThrow(
                () ->
                    invalid(
                        "'name': unknown command '"
                            + request.name()
                            + "' for a "
                            + deviceType
                            + " (supported: "
                            + catalog.supported(deviceType)
                            + ")"));
    requireRole(spec, by, "command.submit", "device/" + deviceId, from);
    checkParams(spec, deviceType, request);
    return spec;
  }

  /** The command's risk needs a role; a refusal is audited as {@code action} on {@code target}. */
  private void requireRole(
      CommandSpec spec, StaffPrincipal by, String action, String target, String from) {
    if (!by.role().atLeast(spec.risk().requiredRole())) {
      audit.record(
          AuditEntry.of(by.name(), action, target, AuditEntry.Outcome.DENIED, from)
              .withDetail(
                  JSON.objectNode()
                      .put("command", spec.name())
                      .put("risk", spec.risk().wireName())
                      .put("role", by.role().wireName())
                      .toString()));
      throw new ServiceException(
          Failure.FORBIDDEN,
          spec.name()
              + " is a "
              + spec.risk().wireName()
              + "-risk command and needs the "
              + spec.risk().requiredRole().wireName()
              + " role");
    }
  }

  /** {@code deviceType} null: a bulk batch's check, before its devices are known. */
  private void checkParams(CommandSpec spec, String deviceType, CommandRequest request) {
    catalog
        .checkParams(spec, deviceType, request.params())
        .ifPresent(
            problem -> {
              throw invalid(problem);
            });
    if (request.ttlSeconds() != null
        && (request.ttlSeconds() < 1 || request.ttlSeconds() > catalog.maxTtl().toSeconds())) {
      throw invalid("'ttlSeconds' must be between 1 and " + catalog.maxTtl().toSeconds());
    }
  }

  private Command newCommand(
      String deviceId, CommandRequest request, CommandSpec spec, StaffPrincipal by) {
    Instant now = clock.instant();
    Duration ttl =
        request.ttlSeconds() == null ? spec.ttl() : Duration.ofSeconds(request.ttlSeconds());
    JsonNode params = paramsOf(request);
    byte[] id = new byte[8];
    RANDOM.nextBytes(id);
    boolean needsApproval = secondApprover.requiredFor(spec.name());
    return new Command(
        "c-" + HexFormat.of().formatHex(id),
        deviceId,
        spec.name(),
        params.toString(),
        spec.risk(),
        needsApproval ? CommandStatus.AWAITING_APPROVAL : CommandStatus.QUEUED,
        by.name(),
        now,
        now.plus(ttl),
        spec.deliveryTimeout().toSeconds(),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        needsApproval ? now.plus(secondApprover.timeout()) : null,
        null,
        null);
  }

  /**
   * Stores the command unless the key names an earlier one; {@code audited}: with its entry; sent
   * under the owner's session {@code consented}: recorded as the session's activity.
   */
  private Command insertOnce(
      Connection c,
      Command command,
      String from,
      String idempotencyKey,
      boolean audited,
      Optional<Consent> consented)
      throws SQLException {
    if (idempotencyKey != null) {
      Optional<Command> existing =
          CommandStore.findByIdempotencyKey(c, command.requestedBy(), idempotencyKey);
      if (existing.isPresent()) {
        Command earlier = existing.get();
        if (!earlier.deviceId().equals(command.deviceId())
            || !earlier.name().equals(command.name())) {
          throw new ServiceException(
              Failure.CONFLICT, "Idempotency-Key already used for a different command");
        }
        return earlier;
      }
    }
    if (CommandStore.lockDeviceAndCountOpen(c, command.deviceId()) >= maxOpenPerDevice) {
      throw new ServiceException(
          Failure.OVERLOADED,
          "device already has " + maxOpenPerDevice + " commands waiting or running; retry later");
    }
    CommandStore.insert(c, command, from, idempotencyKey);
    if (consented.isPresent()) {
      consent.recordCommand(
          c,
          consented.get().sessionId(),
          command.deviceId(),
          command.id(),
          command.name(),
          consented.get().commandClass(),
          consented.get().by());
    }
    if (!audited) {
      return command;
    }
    ObjectNode facts = submittedFacts(command);
    consented.ifPresent(
        given ->
            facts
                .put("supportSession", given.sessionId())
                .put("commandClass", given.commandClass().wireName()));
    CommandStore.audit(c, command.requestedBy(), "command.submit", command, from, facts.toString());
    return command;
  }

  /**
   * The audit detail of a submission: device, command and its parameters as given, with the values
   * the catalog marks secret masked: the log is read by every admin, the passphrase is the
   * customer's.
   */
  private ObjectNode submittedFacts(Command command) {
    ObjectNode facts = JSON.objectNode().put("device", command.deviceId());
    facts.put("command", command.name());
    facts.set("params", paramsForStaff(command));
    facts.put("status", command.status().wireName());
    return facts;
  }

  /** A command's parameters as staff read them: secret values masked ({@link CommandCatalog}). */
  public JsonNode paramsForStaff(Command command) {
    try {
      return catalog.masked(command.name(), PARAMS.readTree(command.paramsJson()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored command parameters are not JSON", e);
    }
  }

  /** The command as staff read it: its secret parameter values masked. */
  public Command forStaff(Command command) {
    return command.withParamsJson(paramsForStaff(command).toString());
  }

  /**
   * A second staff member's decision on a command awaiting approval: approved, it is queued for
   * delivery (its TTL starting now); rejected, it ends {@code rejected}. The approver needs the
   * supervisor role (the caller checks it) and must not be the submitter; a command that is not
   * awaiting approval, or whose approval time has passed, is a conflict. Audited either way.
   */
  public Future<Command> decide(
      String commandId, boolean approve, String reason, StaffPrincipal by, String from) {
    return jdbc.transaction(
            c -> {
              Command command =
                  CommandStore.find(c, commandId, true)
                      .orElseThrow(
                          () -> new ServiceException(Failure.NOT_FOUND, "no such command"));
              String action = approve ? "command.approve" : "command.reject";
              ObjectNode facts =
                  JSON.objectNode()
                      .put("device", command.deviceId())
                      .put("command", command.name())
                      .put("requestedBy", command.requestedBy());
              facts.set("params", paramsForStaff(command));
              if (reason != null) {
                facts.put("reason", reason);
              }
              if (command.requestedBy().equals(by.name())) {
                // Its own transaction: the refusal must stay in the log though this one rolls back.
                audit.record(
                    AuditEntry.of(
                            by.name(),
                            action,
                            "command/" + commandId,
                            AuditEntry.Outcome.DENIED,
                            from)
                        .withDetail(facts.toString()));
                throw new ServiceException(
                    Failure.FORBIDDEN, "a command needs another staff member's approval");
              }
              Instant now = clock.instant();
              if (command.status() != CommandStatus.AWAITING_APPROVAL
                  || !now.isBefore(command.approvalDueAt())) {
                throw new ServiceException(
                    Failure.CONFLICT,
                    "command is "
                        + command.status().wireName()
                        + (command.status() == CommandStatus.AWAITING_APPROVAL
                            ? " past its approval time"
                            : ", not awaiting approval"));
              }
              CommandStore.decide(c, command, approve, now, by.name(), reason);
              CommandStore.audit(c, by.name(), action, command, from, facts.toString());
              return CommandStore.find(c, commandId, false).orElseThrow();
            })
        .onSuccess(
            decided -> {
              if (decided.status() == CommandStatus.QUEUED) {
                wake(decided.deviceId());
              } else {
                tellFinished(List.of(finished(decided, decided.status())));
              }
            });
  }

  public Future<Optional<Command>> find(String commandId) {
    return jdbc.call(c -> CommandStore.find(c, commandId, false));
  }

  public Future<List<CommandTransition>> transitions(String commandId) {
    return jdbc.call(c -> CommandStore.transitions(c, commandId));
  }

  public Future<List<Command>> history(CommandHistoryQuery query) {
    return jdbc.call(c -> CommandStore.history(c, query));
  }

  /**
   * Queued commands the device should receive now, oldest first. A command whose owner's session
   * ended before this moment is withdrawn first, never delivered.
   */
  public Future<List<Command>> pending(String deviceId) {
    return jdbc.transaction(
            c -> {
              List<CommandFinished> withdrawn = withdrawWithoutConsent(c, deviceId);
              return new Pending(CommandStore.pending(c, deviceId, clock.instant()), withdrawn);
            })
        .map(
            pending -> {
              tellFinished(pending.withdrawn());
              return pending.deliver();
            });
  }

  private record Pending(List<Command> deliver, List<CommandFinished> withdrawn) {}

  /**
   * Withdraws at once the undelivered commands whose owner's session has ended, e.g. right after
   * the owner revoked it (the sweep would within {@code commands.sweepInterval}); returns how many.
   */
  public Future<Integer> withdrawWithoutConsent() {
    return jdbc.transaction(c -> withdrawWithoutConsent(c, null))
        .map(
            ended -> {
              tellFinished(ended);
              return ended.size();
            });
  }

  /**
   * Ends as {@code expired} the undelivered commands ({@code deviceId}'s, or every device's for
   * null) whose owner's support session has expired or been revoked: what the owner allowed for a
   * time must not happen after it (docs/privacy.md, "Support sessions").
   */
  private List<CommandFinished> withdrawWithoutConsent(Connection c, String deviceId)
      throws SQLException {
    List<CommandFinished> ended = new ArrayList<>();
    Instant now = clock.instant();
    for (String id : consent.commandsLeftWithout(c, deviceId, SWEEP_BATCH)) {
      Command command = CommandStore.find(c, id, true).orElseThrow();
      CommandStore.moveTo(
          c,
          command,
          CommandStatus.EXPIRED,
          now,
          "gateway",
          null,
          "the owner's support session ended before delivery");
      ended.add(finished(command, CommandStatus.EXPIRED));
    }
    return ended;
  }

  /** The device's transport confirmed receipt (MQTT PUBACK, CoAP ACK). */
  public Future<Void> markSent(String commandId, String channel) {
    return jdbc.transaction(
        c -> {
          Optional<Command> command = CommandStore.find(c, commandId, true);
          if (command.isPresent() && CommandLifecycle.deliverable(command.get().status())) {
            CommandStore.moveTo(
                c,
                command.get(),
                CommandStatus.SENT,
                clock.instant(),
                "gateway",
                null,
                "delivered over " + channel);
          }
          return null;
        });
  }

  /**
   * Applies a device's result. A device may only answer its own commands: anything else is {@link
   * Failure#FORBIDDEN}, whether the command exists or not, so nothing leaks.
   */
  public Future<Void> recordResult(CommandResult result) {
    return jdbc.transaction(
            c -> {
              Optional<Command> found = CommandStore.find(c, result.commandId(), true);
              if (found.isEmpty() || !found.get().deviceId().equals(result.deviceId())) {
                throw new ServiceException(Failure.FORBIDDEN, "no such command for this device");
              }
              Command command = found.get();
              Instant now = clock.instant();
              String actor = "device:" + result.deviceId();
              // A log bundle is kept redacted and sealed, never in the command's output.
              String output =
                  logBundles.intake(
                      c,
                      command.name(),
                      command.id(),
                      command.deviceId(),
                      result.outputJson(),
                      now);
              Optional<CommandStatus> next =
                  CommandLifecycle.afterResult(command.status(), result.status());
              if (next.isEmpty()) {
                CommandStore.recordLate(c, command, result.status().wireName(), output, now, actor);
              } else if (next.get() != command.status()) {
                CommandStore.moveTo(c, command, next.get(), now, actor, output, null);
                if (next.get() == CommandStatus.SUCCEEDED) {
                  DeviceFirmware.afterSuccess(
                      c, command.deviceId(), command.name(), command.paramsJson(), output);
                }
              }
              CommandStore.audit(
                  c,
                  actor,
                  "command.result",
                  command,
                  null,
                  JSON.objectNode()
                      .put("status", result.status().wireName())
                      .put("late", next.isEmpty())
                      .toString());
              return next
                  .filter(CommandStatus::isFinal)
                  .map(status -> finished(command, status))
                  .stream()
                  .toList();
            })
        .map(this::tellFinished);
  }

  /**
   * Times out commands without a result, expires undelivered ones, and withdraws undelivered ones
   * whose owner's session ended; returns how many.
   */
  public Future<Integer> sweep() {
    return jdbc.transaction(
            c -> {
              Instant now = clock.instant();
              List<CommandFinished> ended = new ArrayList<>(withdrawWithoutConsent(c, null));
              for (Command command : CommandStore.overdue(c, now, SWEEP_BATCH)) {
                CommandStatus to =
                    command.status() == CommandStatus.QUEUED
                            || command.status() == CommandStatus.AWAITING_APPROVAL
                        ? CommandStatus.EXPIRED
                        : CommandStatus.TIMED_OUT;
                CommandStore.moveTo(
                    c,
                    command,
                    to,
                    now,
                    "gateway",
                    null,
                    command.status() == CommandStatus.AWAITING_APPROVAL
                        ? "not approved in time"
                        : null);
                ended.add(finished(command, to));
              }
              return ended;
            })
        .map(
            ended -> {
              tellFinished(ended);
              return ended.size();
            });
  }

  private static CommandFinished finished(Command command, CommandStatus status) {
    return new CommandFinished(command.id(), command.deviceId(), command.requestedBy(), status);
  }

  private Void tellFinished(List<CommandFinished> ended) {
    for (CommandFinished command : ended) {
      for (Consumer<CommandFinished> listener : finishedListeners) {
        try {
          listener.accept(command);
        } catch (RuntimeException e) {
          LOG.warn("Could not tell that command {} ended", command.commandId(), e);
        }
      }
    }
    return null;
  }

  private static ServiceException invalid(String message) {
    return new ServiceException(Failure.INVALID_INPUT, message);
  }
}
