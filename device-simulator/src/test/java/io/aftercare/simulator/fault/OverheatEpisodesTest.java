package io.aftercare.simulator.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.aftercare.diagnostics.DeviceProfile;
import io.aftercare.diagnostics.DiagnosticsEngine;
import io.aftercare.diagnostics.alarm.AlarmChange;
import io.aftercare.diagnostics.alarm.AlarmChangeType;
import io.aftercare.diagnostics.condition.ConditionCompiler;
import io.aftercare.diagnostics.rules.RuleLoader;
import io.aftercare.diagnostics.rules.RuleSet;
import io.aftercare.domain.Telemetry;
import io.aftercare.simulator.device.DeviceType;
import io.aftercare.simulator.device.Devices;
import io.aftercare.simulator.device.Reading;
import io.aftercare.simulator.device.SimulatedDevice;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A firmware trial device's overheat episodes in simulated time: their timing (a Poisson process in
 * cool time, each hot for heatFor, then cool for at least coolFor), and that each one raises
 * exactly one overheating alarm of the real rules, compressed and default.
 */
class OverheatEpisodesTest {

  private static final Instant START = Instant.parse("2026-12-01T00:00:00Z");

  @Test
  void episodesAreHotForHeatForAndWaitAnExponentialTimeOfTheRateInCoolTime() {
    Duration heat = Duration.ofSeconds(5);
    Duration cool = Duration.ofSeconds(2);
    OverheatEpisodes episodes = new OverheatEpisodes(7, 120, heat, cool);
    List<Instant> starts = new ArrayList<>();
    List<Instant> ends = new ArrayList<>();
    boolean hot = false;
    Instant now = START;
    for (int step = 0; step < 20 * 3600 * 5; step++) { // 20 h, asked every 200 ms
      now = now.plusMillis(200);
      boolean hotNow = episodes.hotAt(now, starts::add);
      if (hot && !hotNow) {
        ends.add(now);
      }
      hot = hotNow;
    }

    // About 20 h / (30 s + 7 s) episodes.
    assertThat(starts).hasSizeBetween(1800, 2100);
    double waitS = 0;
    for (int i = 0; i < ends.size(); i++) {
      // An episode ends when first asked at or after its end: up to 200 ms late here.
      assertThat(Duration.between(starts.get(i), ends.get(i)))
          .isBetween(heat, heat.plusMillis(199));
      if (i + 1 < starts.size()) {
        Duration gap = Duration.between(ends.get(i), starts.get(i + 1));
        assertThat(gap).isGreaterThanOrEqualTo(cool.minusMillis(199));
        waitS += gap.minus(cool).toMillis() / 1000.0;
      }
    }
    // The mean wait is 3600 / 120 = 30 s; its standard error over ~1900 waits is under 1 s.
    assertThat(waitS / (ends.size() - 1)).isCloseTo(30, within(3.0));
  }

  @Test
  void theSameSeedGivesTheSameEpisodesAndRateZeroNone() {
    assertThat(starts(new OverheatEpisodes(3, 60, Duration.ofSeconds(5), Duration.ofSeconds(2))))
        .isEqualTo(
            starts(new OverheatEpisodes(3, 60, Duration.ofSeconds(5), Duration.ofSeconds(2))))
        .isNotEmpty();
    assertThat(starts(new OverheatEpisodes(3, 0, Duration.ofSeconds(5), Duration.ofSeconds(2))))
        .isEmpty();
  }

  @Test
  void eachEpisodeRaisesOneAlarmOfTheScenariosCompressedRule(@TempDir Path dir) throws Exception {
    try (InputStream in = getClass().getResourceAsStream("/firmware-trial/overheating.yaml")) {
      Files.copy(in, dir.resolve("overheating.yaml"));
    }
    RuleSet rules = new RuleLoader(new ConditionCompiler()).load(dir);
    // The scenario firmware-regression's hubs: every second, hot 5 s, cool 2 s, 120 per hour.
    Outcome outcome =
        run(rules, Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(2), 120, 2);

    assertThat(outcome.episodes()).isGreaterThan(150);
    assertThat(outcome.withOneAlarm()).isEqualTo(outcome.episodes());
    assertThat(outcome.alarms()).isLessThanOrEqualTo(outcome.allEpisodes());
  }

  @Test
  void eachEpisodeRaisesOneAlarmOfTheDefaultRule() throws Exception {
    RuleSet rules = new RuleLoader(new ConditionCompiler()).loadDefaults();
    // In real time: reports every 15 s, hot 3 min (the rule holds 2 min), cool 1 min.
    Outcome outcome =
        run(rules, Duration.ofSeconds(15), Duration.ofMinutes(3), Duration.ofMinutes(1), 3, 12);

    assertThat(outcome.episodes()).isGreaterThan(20);
    assertThat(outcome.withOneAlarm()).isEqualTo(outcome.episodes());
    assertThat(outcome.alarms()).isLessThanOrEqualTo(outcome.allEpisodes());
  }

  /**
   * @param episodes those with time to raise before the run's end
   * @param withOneAlarm those of them that raised exactly one alarm while hot or at the next report
   */
  private record Outcome(int episodes, int withOneAlarm, int alarms, int allEpisodes) {}

  /** A hub with episodes through the engine, reporting every {@code interval}. */
  private static Outcome run(
      RuleSet rules, Duration interval, Duration heat, Duration cool, double rate, int hours) {
    SimulatedDevice hub = Devices.create("hub-1", DeviceType.HUB, 5);
    List<Instant> starts = new ArrayList<>();
    hub.overheatIn(new OverheatEpisodes(11, rate, heat, cool), starts::add);
    DeviceProfile profile = new DeviceProfile("hub-1", "hub", "HB-200", "3.3.0");
    DiagnosticsEngine engine = new DiagnosticsEngine(() -> rules);
    List<AlarmChange> raised = new ArrayList<>();
    Instant end = START.plus(Duration.ofHours(hours));
    for (Instant now = START.plus(interval); now.isBefore(end); now = now.plus(interval)) {
      Reading reading = hub.tick(now, interval);
      engine.onTelemetry(profile, telemetry(reading)).stream()
          .filter(c -> c.type() == AlarmChangeType.RAISED && c.ruleId().equals("overheating"))
          .forEach(raised::add);
    }
    // An episode still hot, or just over, when the run ends may not have raised yet.
    Instant settled = end.minus(heat).minus(interval);
    List<Instant> finished = starts.stream().filter(s -> s.isBefore(settled)).toList();
    int withOneAlarm = 0;
    for (Instant start : finished) {
      Instant over = start.plus(heat).plus(interval);
      long alarms =
          raised.stream().filter(c -> !c.at().isBefore(start) && !c.at().isAfter(over)).count();
      withOneAlarm += alarms == 1 ? 1 : 0;
    }
    return new Outcome(finished.size(), withOneAlarm, raised.size(), starts.size());
  }

  private static List<Instant> starts(OverheatEpisodes episodes) {
    List<Instant> starts = new ArrayList<>();
    for (Instant now = START; now.isBefore(START.plusSeconds(600)); now = now.plusMillis(200)) {
      episodes.hotAt(now, starts::add);
    }
    return starts;
  }

  private static Telemetry telemetry(Reading reading) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    reading
        .metrics()
        .forEach(
            (name, value) ->
                metrics.put(
                    name,
                    value instanceof Boolean b ? (b ? 1.0 : 0.0) : ((Number) value).doubleValue()));
    return new Telemetry("hub-1", reading.ts(), true, metrics);
  }
}
