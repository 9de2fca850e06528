package io.aftercare.platform.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.aftercare.domain.CommandResult;
import io.aftercare.platform.audit.AuditEntry;
import io.aftercare.platform.audit.AuditLog;
import io.aftercare.platform.db.Jdbc;
import io.aftercare.platform.device.DeviceFirmware;
import io.aftercare.platform.device.DeviceRegistry;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.aftercare.platform.staff.StaffPrincipal;
import io.vertx.core.Future;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remote-assist commands: submission (catalog, parameters, role, idempotency, per-device limit),
 * delivery bookkeeping, device results and the life cycle of {@link CommandLifecycle}. Every change
 * is one transaction with its history row and, where people or devices act, its audit entry.
 */
public final class CommandService {

  private static final Logger LOG = LoggerFactory.getLogger(CommandService.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int SWEEP_BATCH = 500;

  private final Jdbc jdbc;
  private final CommandCatalog catalog;
  private final DeviceRegistry devices;
  private final AuditLog audit;
  private final Clock clock;
  private final int maxOpenPerDevice;
  private final List<CommandChannel> channels = new CopyOnWriteArrayList<>();

  public CommandService(
      Jdbc jdbc,
      CommandCatalog catalog,
      DeviceRegistry devices,
      AuditLog audit,
      Clock clock,
      int maxOpenPerDevice) {
    this.jdbc = jdbc;
    this.catalog = catalog;
    this.devices = devices;
    this.audit = audit;
    this.clock = clock;
    this.maxOpenPerDevice = maxOpenPerDevice;
  }

  public void addChannel(CommandChannel channel) {
    channels.add(channel);
  }

  /**
   * Submits a command for {@code deviceId}. Retrying with the same {@code idempotencyKey} returns
   * the command created the first time.
   */
  public Future<Command> submit(
      String deviceId,
      CommandRequest request,
      StaffPrincipal by,
      String from,
      String idempotencyKey) {
    return devices
        .find(deviceId)
        .compose(
            device -> {
              if (device.isEmpty()) {
                return Future.failedFuture(
                    new ServiceException(Failure.NOT_FOUND, "no such device"));
              }
              CommandSpec spec = checkAllowed(device.get().type(), request, by, deviceId, from);
              Command command = newCommand(deviceId, request, spec, by);
              return jdbc.transaction(c -> insertOnce(c, command, request, from, idempotencyKey));
            })
        .onSuccess(command -> wake(command.deviceId()));
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
    if (!by.role().atLeast(spec.risk().requiredRole())) {
      audit.record(
          AuditEntry.of(
                  by.name(),
                  "command.submit",
                  "device/" + deviceId,
                  AuditEntry.Outcome.DENIED,
                  from)
              .withDetail(
                  "{\"command\":\""
                      + spec.name()
                      + "\",\"risk\":\""
                      + spec.risk().wireName()
                      + "\",\"role\":\""
                      + by.role().wireName()
                      + "\"}"));
      throw new ServiceException(
          Failure.FORBIDDEN,
          spec.name()
              + " is a "
              + spec.risk().wireName()
              + "-risk command and needs the "
              + spec.risk().requiredRole().wireName()
              + " role");
    }
    spec.checkParams(request.params())
        .ifPresent(
            problem -> {
              throw invalid(problem);
            });
    if (request.ttlSeconds() != null
        && (request.ttlSeconds() < 1 || request.ttlSeconds() > catalog.maxTtl().toSeconds())) {
      throw invalid("'ttlSeconds' must be between 1 and " + catalog.maxTtl().toSeconds());
    }
    return spec;
  }

  private Command newCommand(
      String deviceId, CommandRequest request, CommandSpec spec, StaffPrincipal by) {
    Instant now = clock.instant();
    Duration ttl =
        request.ttlSeconds() == null ? spec.ttl() : Duration.ofSeconds(request.ttlSeconds());
    JsonNode params =
        request.params() == null || request.params().isNull()
            ? JsonNodeFactory.instance.objectNode()
            : request.params();
    byte[] id = new byte[8];
    RANDOM.nextBytes(id);
    return new Command(
        "c-" + HexFormat.of().formatHex(id),
        deviceId,
        spec.name(),
        params.toString(),
        spec.risk(),
        CommandStatus.QUEUED,
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
        null);
  }

  private Command insertOnce(
      java.sql.Connection c,
      Command command,
      CommandRequest request,
      String from,
      String idempotencyKey)
      throws java.sql.SQLException {
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
    CommandStore.audit(
        c,
        command.requestedBy(),
        "command.submit",
        command,
        from,
        "{\"device\":\"" + command.deviceId() + "\",\"command\":\"" + command.name() + "\"}");
    return command;
  }

  public Future<Optional<Command>> find(String commandId) {
    return jdbc.call(c -> CommandStore.find(c, commandId, false));
  }

  public Future<List<CommandTransition>> transitions(String commandId) {
    return jdbc.call(c -> CommandStore.transitions(c, commandId));
  }

  public Future<List<Command>> history(String deviceId, int limit) {
    return jdbc.call(c -> CommandStore.history(c, deviceId, limit));
  }

  /** Queued commands the device should receive now, oldest first. */
  public Future<List<Command>> pending(String deviceId) {
    return jdbc.call(c -> CommandStore.pending(c, deviceId, clock.instant()));
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
          Optional<CommandStatus> next =
              CommandLifecycle.afterResult(command.status(), result.status());
          if (next.isEmpty()) {
            CommandStore.recordLate(
                c, command, result.status().wireName(), result.outputJson(), now, actor);
          } else if (next.get() != command.status()) {
            CommandStore.moveTo(c, command, next.get(), now, actor, result.outputJson(), null);
            if (next.get() == CommandStatus.SUCCEEDED) {
              DeviceFirmware.afterSuccess(
                  c, command.deviceId(), command.name(), command.paramsJson(), result.outputJson());
            }
          }
          CommandStore.audit(
              c,
              actor,
              "command.result",
              command,
              null,
              "{\"status\":\""
                  + result.status().wireName()
                  + "\",\"late\":"
                  + next.isEmpty()
                  + "}");
          return null;
        });
  }

  /** Times out commands without a result and expires undelivered ones; returns how many. */
  public Future<Integer> sweep() {
    return jdbc.transaction(
        c -> {
          Instant now = clock.instant();
          List<Command> overdue = CommandStore.overdue(c, now, SWEEP_BATCH);
          for (Command command : overdue) {
            CommandStatus to =
                command.status() == CommandStatus.QUEUED
                    ? CommandStatus.EXPIRED
                    : CommandStatus.TIMED_OUT;
            CommandStore.moveTo(c, command, to, now, "gateway", null, null);
          }
          return overdue.size();
        });
  }

  private void wake(String deviceId) {
    for (CommandChannel channel : channels) {
      try {
        channel.wake(deviceId);
      } catch (RuntimeException e) {
        LOG.warn("Command channel failed to wake {}", deviceId, e);
      }
    }
  }

  private static ServiceException invalid(String message) {
    return new ServiceException(Failure.INVALID_INPUT, message);
  }
}
