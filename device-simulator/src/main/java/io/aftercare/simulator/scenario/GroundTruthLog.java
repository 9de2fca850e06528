package io.aftercare.simulator.scenario;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.simulator.fault.FaultKind;
import io.aftercare.simulator.scenario.FleetPlan.PlannedDevice;
import io.aftercare.simulator.scenario.FleetPlan.PlannedFault;
import io.aftercare.simulator.scenario.FleetPlan.PlannedOutage;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ground truth of a run as JSON lines: at the start a {@code run} line, one {@code device} line
 * per device (with its home and region, if it has a home), one {@code fault} line per planned fault
 * and one {@code outage} line per planned outage; a {@code cure} line whenever a command cures a
 * fault; an {@code end} line when the run stops. {@code startOffsetS} depends only on the scenario;
 * {@code startedAt}, {@code startAt}, {@code curedAt} and {@code endedAt} are wall-clock times of
 * this run. {@code score} reads the file back ({@code score.GroundTruth}).
 */
public final class GroundTruthLog implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final BufferedWriter out;

  public GroundTruthLog(Path file) {
    try {
      this.out = Files.newBufferedWriter(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes what the run is made of: the run line, every device and every planned fault. */
  public synchronized void started(FleetPlan plan, Instant runStart) {
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("record", "run");
    run.put("startedAt", runStart.toString());
    write(run);
    // The healthy devices too: an alarm on one of them is a false positive.
    for (PlannedDevice device : plan.devices()) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("record", "device");
      line.put("device", device.id());
      line.put("type", device.type().id());
      line.put("protocol", device.protocol().id());
      plan.homeOf(device.id())
          .ifPresent(
              home -> {
                line.put("home", home.id());
                line.put("region", home.region().orElse(null));
              });
      write(line);
    }
    plan.faults().forEach(fault -> planned(fault, runStart));
    plan.outages().forEach(outage -> planned(outage, runStart));
  }

  private void planned(PlannedOutage outage, Instant runStart) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("record", "outage");
    line.put("outage", outage.kind().id());
    line.put("region", outage.region().orElse(null));
    line.put("homes", outage.homeIds());
    line.put("devices", outage.deviceIds());
    line.put("startOffsetS", outage.startAfter().toMillis() / 1000.0);
    line.put("startAt", runStart.plus(outage.startAfter()).toString());
    line.put("endOffsetS", outage.endsAfter().toMillis() / 1000.0);
    line.put("endAt", runStart.plus(outage.endsAfter()).toString());
    write(line);
  }

  private void planned(PlannedFault fault, Instant runStart) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("record", "fault");
    line.put("device", fault.deviceId());
    line.put("fault", fault.fault().id());
    line.put("startOffsetS", fault.startAfter().toMillis() / 1000.0);
    line.put("startAt", runStart.plus(fault.startAfter()).toString());
    line.put("curedBy", fault.curedBy().orElse(null));
    write(line);
  }

  /**
   * Writes a firmware trial's versions: per version a {@code firmware} line with its model, rule,
   * predecessor, devices, episode rate and whether it regressed. Nothing without a trial.
   */
  public synchronized void firmwareTrial(FirmwareTrialPlan trial) {
    for (FirmwareTrialPlan.TrialVersion version : trial.versions()) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("record", "firmware");
      line.put("model", trial.model());
      line.put("rule", trial.rule());
      line.put("firmware", version.firmware());
      line.put("previousFirmware", version.previousFirmware());
      line.put("devices", version.devices());
      line.put("episodesPerDeviceHour", version.episodesPerDeviceHour());
      line.put("regressed", version.regressed());
      write(line);
    }
  }

  /**
   * Writes a {@code fault} line for a fault that starts while the run goes on rather than by plan
   * (an overheat episode of a firmware trial), like the planned ones.
   */
  public synchronized void faultStarted(
      String deviceId, FaultKind fault, Instant runStart, Instant at) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("record", "fault");
    line.put("device", deviceId);
    line.put("fault", fault.id());
    line.put("startOffsetS", Duration.between(runStart, at).toMillis() / 1000.0);
    line.put("startAt", at.toString());
    line.put("curedBy", null);
    write(line);
  }

  public synchronized void cured(String deviceId, FaultKind fault, String command, Instant at) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("record", "cure");
    line.put("device", deviceId);
    line.put("fault", fault.id());
    line.put("curedBy", command);
    line.put("curedAt", at.toString());
    write(line);
  }

  /** Marks the end of the run: alarms raised long after it are not the run's doing. */
  public synchronized void ended(Instant at) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("record", "end");
    line.put("endedAt", at.toString());
    write(line);
  }

  private void write(Map<String, Object> line) {
    try {
      out.write(JSON.writeValueAsString(line));
      out.newLine();
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
