package io.aftercare.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.aftercare.simulator.device.DeviceType;
import io.aftercare.simulator.device.Devices;
import io.aftercare.simulator.link.Channel;
import io.aftercare.simulator.link.DeviceLink;
import io.aftercare.simulator.scenario.FleetPlan.PlannedOutage;
import io.aftercare.simulator.scenario.GroundTruthLog;
import io.aftercare.simulator.scenario.OutageKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A device of a home without power: its connection drops when the outage starts, it sends nothing
 * while it lasts, and it reconnects when power returns, booting again if it runs on mains.
 */
class PowerOutageSessionTest {

  private static final Instant START = Instant.parse("2026-12-07T10:00:00Z");
  private static final PlannedOutage OUTAGE =
      new PlannedOutage(
          OutageKind.POWER_OUTAGE,
          Optional.empty(),
          List.of("home-001"),
          List.of("plug", "thermostat"),
          Duration.ofSeconds(10),
          Duration.ofSeconds(20));

  @TempDir Path dir;

  @Test
  void aMainsDeviceGoesSilentForTheOutageAndBootsAgainWhenPowerReturns() {
    RecordingLink link = new RecordingLink();
    DeviceSession session = session(DeviceType.SMART_PLUG, link);

    session.step(at(0));
    assertThat(link.connected).isTrue();
    assertThat(link.sent).isNotEmpty();

    link.sent.clear();
    session.step(at(10));
    assertThat(link.connected).isFalse();
    for (int ms = 10_200; ms < 30_000; ms += 200) {
      session.step(START.plusMillis(ms));
    }
    assertThat(link.connected).isFalse();
    assertThat(link.sent).isEmpty();

    session.step(at(30));
    assertThat(link.connected).isTrue();
    assertThat(link.sent)
        .anySatisfy(doc -> assertThat(doc).startsWith("telemetry ").contains("\"uptime_s\":0.0"))
        .anySatisfy(doc -> assertThat(doc).startsWith("events ").contains("R_POWER"));
  }

  @Test
  void aBatteryDeviceOnlyLostItsNetworkAndDoesNotBoot() {
    RecordingLink link = new RecordingLink();
    DeviceSession session = session(DeviceType.THERMOSTAT, link);

    session.step(at(0));
    session.step(at(10));
    assertThat(link.connected).isFalse();
    link.sent.clear();

    session.step(at(30));
    assertThat(link.connected).isTrue();
    assertThat(link.sent)
        .anySatisfy(doc -> assertThat(doc).startsWith("telemetry "))
        .noneSatisfy(doc -> assertThat(doc).contains("R_POWER"));
  }

  private DeviceSession session(DeviceType type, RecordingLink link) {
    var device = Devices.create(type == DeviceType.SMART_PLUG ? "plug" : "thermostat", type, 7);
    device.configure("reporting_interval_s", 1.0);
    DeviceSession session =
        new DeviceSession(
            device, link, List.of(), new GroundTruthLog(dir.resolve(type.id())), List.of(OUTAGE));
    session.begin(START);
    return session;
  }

  private static Instant at(double seconds) {
    return START.plusMillis(Math.round(seconds * 1000));
  }

  /** A link that records what the device sent, as {@code channel json}. */
  private static final class RecordingLink implements DeviceLink {
    final List<String> sent = new ArrayList<>();
    boolean connected;

    @Override
    public void connect(Consumer<byte[]> onCommand) {
      connected = true;
    }

    @Override
    public boolean isConnected() {
      return connected;
    }

    @Override
    public void send(Channel channel, byte[] json) {
      sent.add(
          channel.name().toLowerCase(java.util.Locale.ROOT)
              + " "
              + new String(json, StandardCharsets.UTF_8));
    }

    @Override
    public void disconnect() {
      connected = false;
    }

    @Override
    public void close() {
      connected = false;
    }
  }
}
