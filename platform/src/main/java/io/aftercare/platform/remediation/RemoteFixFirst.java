package io.aftercare.platform.remediation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aftercare.diagnostics.condition.ConditionCompiler;
import io.aftercare.diagnostics.rules.Remedy;
import io.aftercare.platform.alarms.AlarmEventType;
import io.aftercare.platform.alarms.AlarmQueries;
import io.aftercare.platform.alarms.AlarmWrites;
import io.aftercare.platform.alarms.OpenAlarm;
import io.aftercare.platform.alarms.SystemActor;
import io.aftercare.platform.alarms.TicketRequests;
import io.aftercare.platform.command.Command;
import io.aftercare.platform.command.CommandRequest;
import io.aftercare.platform.command.CommandService;
import io.aftercare.platform.device.ServiceStates;
import io.aftercare.platform.error.ServiceException;
import io.aftercare.platform.healthcheck.HealthCheckStart;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remote-fix-first, applied: carries out a {@link RemediationPolicy} decision inside the caller's
 * transaction — the remedy command stored through the command service's synchronous core, the
 * alarm's progress, its events, the ticket request, the post-fix health check. Nothing here
 * commits; nothing here waits for a device. Commands are submitted with an idempotency key per
 * alarm and step, so a decision taken again (by the start-up sweep, after an older version crashed
 * mid-way) never sends a remedy twice.
 */
public final class RemoteFixFirst {

  private static final Logger LOG = LoggerFactory.getLogger(RemoteFixFirst.class);
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final RemediationPolicy policy;
  private final CommandService commands;
  private final StepPreconditions preconditions = new StepPreconditions(new ConditionCompiler());
  private final HealthCheckStart healthChecks;

  public RemoteFixFirst(RemediationPolicy policy, CommandService commands) {
    this.policy = policy;
    this.commands = commands;
    this.healthChecks = new HealthCheckStart(commands);
  }

  public RemediationPolicy policy() {
    return policy;
  }

  /**
   * Applies {@code actions} to {@code alarm} in the caller's transaction.
   *
   * @param toWake collects the devices with a newly stored command, to wake after the commit
   * @return the alarm as it now stands
   */
  public OpenAlarm apply(
      Connection c,
      OpenAlarm alarm,
      List<RemediationAction> actions,
      Instant now,
      Set<String> toWake)
      throws SQLException {
    OpenAlarm current = alarm;
    for (RemediationAction action : actions) {
      current = apply(c, current, action, now, toWake);
    }
    return current;
  }

  private OpenAlarm apply(
      Connection c, OpenAlarm alarm, RemediationAction action, Instant now, Set<String> toWake)
      throws SQLException {
    if (action instanceof RemediationAction.TryRemedy tryRemedy) {
      return tryRemedy(c, alarm, tryRemedy.step(), now, toWake);
    }
    if (action instanceof RemediationAction.Verify verify) {
      OpenAlarm verifying =
          alarm.withRemediation(
              RemediationState.VERIFYING, alarm.step(), alarm.commandId(), verify.deadline());
      AlarmWrites.remediation(c, verifying);
      return verifying;
    }
    if (action instanceof RemediationAction.MoveTo move) {
      OpenAlarm moved = alarm.withState(move.state());
      AlarmWrites.remediation(c, moved);
      return moved;
    }
    if (action instanceof RemediationAction.RequestTicket ticket) {
      if (!ServiceStates.isActive(c, alarm.deviceId())) {
        // A device in maintenance is already being worked on, a decommissioned one is out of
        // service: neither gets a ticket.
        LOG.info(
            "Alarm {}: no ticket for device {}, which is not in service ({})",
            alarm.id(),
            alarm.deviceId(),
            ticket.reason());
        return alarm;
      }
      LOG.info(
          "Alarm {}: ticket requested for device {}: {}",
          alarm.id(),
          alarm.deviceId(),
          ticket.reason());
      TicketRequests.open(c, alarm, ticket.reason(), now);
      return alarm.withTicketRequested();
    }
    if (action instanceof RemediationAction.StartHealthCheck cleared) {
      healthChecks.start(c, alarm, cleared.resolution(), now, toWake);
      return alarm;
    }
    RemediationAction.Record event = (RemediationAction.Record) action;
    AlarmWrites.event(
        c, alarm.id(), now, event.type(), null, SystemActor.DIAGNOSTICS.name(), event.detail());
    return alarm;
  }

  /**
   * Sends the remedy at {@code step}, or follows the same command another alarm of the device
   * already has out: its result then moves both alarms on. A refused remedy moves to the next.
   */
  private OpenAlarm tryRemedy(
      Connection c, OpenAlarm alarm, int step, Instant now, Set<String> toWake)
      throws SQLException {
    Remedy remedy = alarm.remedies().get(step);
    Optional<ObjectNode> unmet = preconditions.unmet(c, alarm.deviceId(), remedy, now);
    if (unmet.isPresent()) {
      LOG.info(
          "Alarm {}: playbook step {} skipped on device {}: {}",
          alarm.id(),
          remedy.step().name(),
          alarm.deviceId(),
          unmet.get().path("reason").asText());
      OpenAlarm atStep = alarm.withRemediation(RemediationState.TRYING, step, null, null);
      return apply(c, atStep, policy.onStepSkipped(atStep, unmet.get()), now, toWake);
    }
    Optional<OpenAlarm> sharing =
        AlarmQueries.sameRemedyUnderWay(c, alarm.deviceId(), remedy, alarm.id());
    if (sharing.isPresent()) {
      LOG.info(
          "Alarm {}: remedy {} on device {} already under way for alarm {}",
          alarm.id(),
          remedy.command(),
          alarm.deviceId(),
          sharing.get().id());
      OpenAlarm joined =
          trying(
              c,
              alarm,
              step,
              sharing.get().commandId(),
              remedySent(remedy, sharing.get().commandId())
                  .put("sharedWithAlarm", sharing.get().id()),
              now);
      return apply(c, joined, policy.onJoinedRemedy(joined, sharing.get(), now), now, toWake);
    }
    Command command;
    try {
      command =
          commands.submit(
              c,
              alarm.deviceId(),
              new CommandRequest(remedy.command(), MAPPER.valueToTree(remedy.params()), null),
              SystemActor.DIAGNOSTICS,
              "diagnostics",
              "alarm-" + alarm.id() + "-step-" + step);
    } catch (ServiceException e) {
      // E.g. the device type lacks the command or too many commands are open: try the next.
      LOG.info(
          "Alarm {}: remedy {} refused for device {}: {}",
          alarm.id(),
          remedy.command(),
          alarm.deviceId(),
          e.getMessage());
      OpenAlarm atStep = alarm.withRemediation(RemediationState.TRYING, step, null, null);
      return apply(c, atStep, policy.onRemedyRefused(atStep, e.getMessage()), now, toWake);
    }
    LOG.info(
        "Alarm {}: trying remedy {} on device {}", alarm.id(), remedy.command(), alarm.deviceId());
    toWake.add(alarm.deviceId());
    return trying(c, alarm, step, command.id(), remedySent(remedy, command.id()), now);
  }

  /**
   * The alarm now waits on {@code commandId}; its {@code remedy_sent} event is what the alarm's
   * actions and a ticket's evidence show, shared or not.
   */
  private static OpenAlarm trying(
      Connection c, OpenAlarm alarm, int step, String commandId, ObjectNode sent, Instant now)
      throws SQLException {
    OpenAlarm trying = alarm.withRemediation(RemediationState.TRYING, step, commandId, null);
    AlarmWrites.remediation(c, trying);
    AlarmWrites.event(
        c, alarm.id(), now, AlarmEventType.REMEDY_SENT, null, SystemActor.DIAGNOSTICS.name(), sent);
    return trying;
  }

  private static ObjectNode remedySent(Remedy remedy, String commandId) {
    ObjectNode sent = JSON.objectNode();
    if (remedy.step() != null) {
      sent.put("playbook", remedy.step().playbook()).put("step", remedy.step().name());
    }
    return sent.put("command", remedy.command()).put("commandId", commandId);
  }
}
