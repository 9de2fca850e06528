package io.aftercare.simulator.run;

import io.aftercare.simulator.command.Command;
import io.aftercare.simulator.command.CommandHandler;
import io.aftercare.simulator.command.CommandReply;
import io.aftercare.simulator.command.CommandResult;
import io.aftercare.simulator.device.DeviceEventRecord;
import io.aftercare.simulator.device.Reading;
import io.aftercare.simulator.device.SimulatedDevice;
import io.aftercare.simulator.fault.ActiveFault;
import io.aftercare.simulator.link.Channel;
import io.aftercare.simulator.link.DeviceLink;
import io.aftercare.simulator.link.Documents;
import io.aftercare.simulator.link.LinkException;
import io.aftercare.simulator.scenario.FleetPlan.PlannedFault;
import io.aftercare.simulator.scenario.FleetPlan.PlannedOutage;
import io.aftercare.simulator.scenario.GroundTruthLog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One device in a live run: ticks its model when a report is due, injects its faults on time,
 * answers commands and keeps its connection in step with the model (a rebooting or offline device
 * holds no connection). {@link #step} is only ever called by one thread at a time.
 */
final class DeviceSession {

  private static final Logger LOG = LoggerFactory.getLogger(DeviceSession.class);

  private final SimulatedDevice device;
  private final DeviceLink link;
  private final List<PlannedFault> pendingFaults;

  /** Set by {@link #begin}: faults, outages and reports are timed from it. */
  private Instant runStart;

  private final GroundTruthLog groundTruth;
  private final List<PlannedOutage> outages;
  private final CommandHandler commands = new CommandHandler();
  private final Queue<byte[]> inbox = new ConcurrentLinkedQueue<>();
  private Optional<CommandResult> resultAfterReconnect = Optional.empty();
  private Instant lastTick;
  private Instant nextReport;
  private boolean powerOut;

  /**
   * @param outages the outages of the device's home: no power, nothing sent, no connection
   */
  DeviceSession(
      SimulatedDevice device,
      DeviceLink link,
      List<PlannedFault> faults,
      GroundTruthLog groundTruth,
      List<PlannedOutage> outages) {
    this.device = device;
    this.outages = List.copyOf(outages);
    this.link = link;
    this.pendingFaults = new ArrayList<>(faults);
    this.groundTruth = groundTruth;
  }

  SimulatedDevice device() {
    return device;
  }

  /** Starts the device's run: it reports at once, and then every interval. */
  void begin(Instant runStart) {
    this.runStart = runStart;
    this.lastTick = runStart;
    this.nextReport = runStart;
  }

  void step(Instant now) {
    injectDueFaults(now);
    if (withoutPower(now)) {
      return;
    }
    answerCommands(now);
    if (now.isBefore(nextReport)) {
      return;
    }
    Reading reading = device.tick(now, Duration.between(lastTick, now));
    lastTick = now;
    nextReport = now.plus(device.reportingInterval());
    if (!device.online()) {
      link.disconnect();
      return;
    }
    try {
      ensureConnected();
      link.send(Channel.TELEMETRY, Documents.telemetry(reading));
      for (DeviceEventRecord event : reading.events()) {
        link.send(Channel.EVENTS, Documents.event(event));
      }
    } catch (LinkException e) {
      // A real device would retry later too; this reading is not claimed to be stored.
      LOG.warn("{}: {}", device.id(), e.getMessage());
      link.disconnect();
    }
  }

  /**
   * Whether the home has no power now. The connection drops at once, as a router losing power drops
   * every socket, and nothing is measured or sent. When power returns, a mains-powered device boots
   * again ({@code R_POWER}; a battery device only lost its network) and reports at once.
   */
  private boolean withoutPower(Instant now) {
    boolean out =
        outages.stream()
            .anyMatch(
                o ->
                    !now.isBefore(runStart.plus(o.startAfter()))
                        && now.isBefore(runStart.plus(o.endsAfter())));
    if (out && !powerOut) {
      LOG.info("{}: power outage at home", device.id());
      link.disconnect();
    } else if (!out && powerOut) {
      LOG.info("{}: power back at home", device.id());
      if (!device.type().batteryPowered()) {
        device.reboot(now, "R_POWER");
        // Switched off, it lived through none of the outage: its uptime starts now.
        lastTick = now;
      }
      nextReport = now;
    }
    powerOut = out;
    return out;
  }

  private void injectDueFaults(Instant now) {
    pendingFaults.removeIf(
        fault -> {
          Instant start = runStart.plus(fault.startAfter());
          if (now.isBefore(start)) {
            return false;
          }
          device.inject(fault.fault(), start, fault.curedBy());
          LOG.info("{}: fault {} started", device.id(), fault.fault().id());
          return true;
        });
  }

  private void answerCommands(Instant now) {
    byte[] json;
    while ((json = inbox.poll()) != null) {
      Command command;
      try {
        command = Documents.command(json);
      } catch (RuntimeException e) {
        LOG.warn("{}: ignoring a command that is not a command document", device.id());
        continue;
      }
      CommandReply reply = commands.handle(device, command, now);
      LOG.info("{}: command {} -> {}", device.id(), command.name(), reply.immediate());
      for (ActiveFault cured : reply.cured()) {
        groundTruth.cured(device.id(), cured.kind(), command.name(), now);
      }
      try {
        for (CommandResult result : reply.immediate()) {
          link.send(Channel.COMMAND_RESULT, Documents.result(result));
        }
      } catch (LinkException e) {
        LOG.warn("{}: command result not delivered: {}", device.id(), e.getMessage());
      }
      if (reply.dropConnection()) {
        link.disconnect();
        resultAfterReconnect = reply.afterReconnect();
        // Back on the network, and reporting, at the next step.
        nextReport = now;
      }
    }
  }

  private void ensureConnected() throws LinkException {
    if (link.isConnected()) {
      return;
    }
    link.connect(inbox::add);
    if (resultAfterReconnect.isPresent()) {
      link.send(Channel.COMMAND_RESULT, Documents.result(resultAfterReconnect.get()));
      resultAfterReconnect = Optional.empty();
    }
  }

  /**
   * Connects once before the run begins, so that the platform does not count the device silent
   * while the rest of the fleet is brought up, and commands can reach it before its first report.
   */
  void connect() {
    try {
      ensureConnected();
    } catch (LinkException e) {
      LOG.warn("{}: {}", device.id(), e.getMessage());
    }
  }

  void close() {
    link.close();
  }

  String deviceId() {
    return device.id();
  }
}
