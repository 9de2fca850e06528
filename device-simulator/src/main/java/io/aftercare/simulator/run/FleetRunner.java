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
import io.aftercare.simulator.scenario.FleetPlan.PlannedOutage;
import io.aftercare.simulator.scenario.GroundTruthLog;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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

  /**
   * Provisions and connects the fleet, then begins the run: writes the planned ground truth and
   * starts stepping.
   */
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
    // Provisioning and connecting wait on the platform (a few hundred ms a device on a busy
    // machine): several at once, so that a fleet of hundreds is up in seconds, not minutes.
    ExecutorService starter = Executors.newFixedThreadPool(threads);
    List<Future<DeviceSession>> starting = new ArrayList<>();
    try {
      for (PlannedDevice planned : plan.devices()) {
        starting.add(
            starter.submit(() -> runner.connectDevice(plan, trial, planned, provisioner, links)));
      }
      for (Future<DeviceSession> session : starting) {
        runner.sessions.add(session.get());
      }
    } catch (ExecutionException | InterruptedException e) {
      // The devices connected so far leave with the run that could not start.
      starter.shutdownNow();
      awaitQuietly(starter);
      scheduler.shutdownNow();
      for (Future<DeviceSession> session : starting) {
        if (session.isDone() && !session.isCancelled()) {
          try {
            session.get().close();
          } catch (ExecutionException | InterruptedException ignored) {
            // It did not connect: nothing to close.
          }
        }
      }
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting the fleet", e);
      }
      if (e.getCause() instanceof LinkException link) {
        throw link;
      }
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      starter.shutdown();
    }
    // The run begins once the whole fleet is up: a fault or outage planned 2 minutes in comes 2
    // minutes after every device is there, however long bringing hundreds of them up took.
    Instant runStart = clock.instant();
    groundTruth.started(plan, runStart);
    groundTruth.firmwareTrial(trial);
    // The sessions are in the plan's order: the loop above took each start's result in turn.
    for (int i = 0; i < plan.devices().size(); i++) {
      FirmwareTrialDevices.prepare(
          trial,
          runner.sessions.get(i).device(),
          plan.devices().get(i).seed(),
          groundTruth,
          runStart);
    }
    for (DeviceSession session : runner.sessions) {
      session.begin(runStart);
      scheduler.scheduleWithFixedDelay(
          () -> runner.step(session), 0, STEP_MS, TimeUnit.MILLISECONDS);
    }
    provisioner.save();
    LOG.info("fleet of {} devices running", runner.sessions.size());
    return runner;
  }

  /**
   * Provisions (or reuses) one device and connects it at once: a device the platform knows but has
   * not heard from counts as silent, and a short absence rule would see it so.
   */
  private DeviceSession connectDevice(
      FleetPlan plan,
      FirmwareTrialPlan trial,
      PlannedDevice planned,
      Provisioner provisioner,
      DeviceLinks links)
      throws LinkException {
    DeviceSecrets secrets =
        FirmwareTrialDevices.secretsFor(trial, planned.id(), provisioner)
            .orElseGet(
                () ->
                    provisioner.secretsFor(
                        planned.id(),
                        id -> planned.type().id(),
                        homeAttributes(plan, planned.id())));
    List<PlannedFault> faults =
        plan.faults().stream().filter(f -> f.deviceId().equals(planned.id())).toList();
    List<PlannedOutage> outages =
        plan.outages().stream().filter(o -> o.deviceIds().contains(planned.id())).toList();
    var device = Devices.create(planned.id(), planned.type(), planned.seed());
    device.configure("reporting_interval_s", planned.interval().toMillis() / 1000.0);
    DeviceSession session =
        new DeviceSession(
            device,
            links.open(planned.protocol(), planned.id(), secrets),
            faults,
            groundTruth,
            outages);
    session.connect();
    return session;
  }

  private static void awaitQuietly(ExecutorService executor) {
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** What the platform is told of a device's home at provisioning (docs/device-contract.md). */
  private static Map<String, String> homeAttributes(FleetPlan plan, String deviceId) {
    Map<String, String> attributes = new LinkedHashMap<>();
    plan.homeOf(deviceId)
        .ifPresent(
            home -> {
              attributes.put("homeId", home.id());
              attributes.put("customerRef", home.customerRef());
              home.region().ifPresent(region -> attributes.put("region", region));
            });
    return attributes;
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
