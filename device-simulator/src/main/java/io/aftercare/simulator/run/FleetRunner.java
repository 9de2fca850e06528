package io.aftercare.simulator.run;

import io.aftercare.simulator.device.Devices;
import io.aftercare.simulator.link.DeviceLinks;
import io.aftercare.simulator.link.DeviceSecrets;
import io.aftercare.simulator.link.LinkException;
import io.aftercare.simulator.platform.Provisioner;
import io.aftercare.simulator.scenario.FirmwareTrialPlan;
import io.aftercare.simulator.scenario.FleetPlan;
import io.aftercare.simulator.scenario.FleetPlan.PlannedDevice;
import io.aftercare.simulator.scenario.FleetPlan.PlannedFault;
import io.aftercare.simulator.scenario.GroundTruthLog;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a planned fleet in real time: provisions (or reuses) each device, connects it over its
 * protocol and steps every device a few times a second until {@link #close}.
 */
public final class FleetRunner implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FleetRunner.class);
  private static final long STEP_MS = 200;

  /**
   * Blocking links (Paho, Californium) wait for acks; a few threads keep one slow device from
   * holding up the rest.
   */
  private static final int MAX_THREADS = 8;

  private final List<DeviceSession> sessions = new ArrayList<>();
  private final ScheduledExecutorService scheduler;
  private final GroundTruthLog groundTruth;
  private final Clock clock;

  private FleetRunner(ScheduledExecutorService scheduler, GroundTruthLog groundTruth, Clock clock) {
    this.scheduler = scheduler;
    this.groundTruth = groundTruth;
    this.clock = clock;
  }

  /** Provisions and connects the fleet, writes the planned ground truth and starts stepping. */
  public static FleetRunner start(
      FleetPlan plan,
      Provisioner provisioner,
      DeviceLinks links,
      GroundTruthLog groundTruth,
      Clock clock)
      throws LinkException {
    return start(plan, FirmwareTrialPlan.NONE, provisioner, links, groundTruth, clock);
  }

  /**
   * The same, with a firmware trial: its devices (in {@code plan}) are provisioned with the trial's
   * model and their version's firmware and overheat in episodes at their version's rate.
   */
  public static FleetRunner start(
      FleetPlan plan,
      FirmwareTrialPlan trial,
      Provisioner provisioner,
      DeviceLinks links,
      GroundTruthLog groundTruth,
      Clock clock)
      throws LinkException {
    int threads = Math.max(1, Math.min(MAX_THREADS, plan.devices().size()));
    ScheduledExecutorService scheduler =
        Executors.newScheduledThreadPool(
            threads,
            r -> {
              Thread thread = new Thread(r, "fleet-step");
              thread.setDaemon(true);
              return thread;
            });
    FleetRunner runner = new FleetRunner(scheduler, groundTruth, clock);
    Instant runStart = clock.instant();
    groundTruth.started(plan, runStart);
    groundTruth.firmwareTrial(trial);
    FirmwareTrialDevices.provision(trial, provisioner);
    for (PlannedDevice planned : plan.devices()) {
      DeviceSecrets secrets = provisioner.secretsFor(planned.id(), id -> planned.type().id());
      List<PlannedFault> faults =
          plan.faults().stream().filter(f -> f.deviceId().equals(planned.id())).toList();
      var device = Devices.create(planned.id(), planned.type(), planned.seed());
      device.configure("reporting_interval_s", planned.interval().toMillis() / 1000.0);
      FirmwareTrialDevices.prepare(trial, device, planned.seed(), groundTruth, runStart);
      runner.sessions.add(
          new DeviceSession(
              device,
              links.open(planned.protocol(), planned.id(), secrets),
              faults,
              runStart,
              groundTruth));
    }
    provisioner.save();
    for (DeviceSession session : runner.sessions) {
      session.start();
      scheduler.scheduleWithFixedDelay(
          () -> runner.step(session), 0, STEP_MS, TimeUnit.MILLISECONDS);
    }
    LOG.info("fleet of {} devices running", runner.sessions.size());
    return runner;
  }

  private void step(DeviceSession session) {
    try {
      session.step(clock.instant());
    } catch (RuntimeException e) {
      // A periodic task that throws is cancelled for good; keep the device alive and say why.
      LOG.error("{}: step failed", session.deviceId(), e);
    }
  }

  public int size() {
    return sessions.size();
  }

  @Override
  public void close() {
    scheduler.shutdown();
    try {
      scheduler.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sessions.forEach(DeviceSession::close);
    groundTruth.ended(clock.instant());
    groundTruth.close();
  }
}
