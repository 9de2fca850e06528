package io.aftercare.simulator.scenario;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.simulator.fault.FaultKind;
import io.aftercare.simulator.scenario.FleetPlan.PlannedFault;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ground truth of a run as JSON lines: one {@code fault} line per planned fault, written at the
 * start, and a {@code cure} line whenever a command cures one. {@code startOffsetS} depends only on
 * the scenario; {@code startAt} and {@code curedAt} are wall-clock times of this run.
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

  public synchronized void planned(PlannedFault fault, Instant runStart) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("record", "fault");
    line.put("device", fault.deviceId());
    line.put("fault", fault.fault().id());
    line.put("startOffsetS", fault.startAfter().toMillis() / 1000.0);
    line.put("startAt", runStart.plus(fault.startAfter()).toString());
    line.put("curedBy", fault.curedBy().orElse(null));
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
