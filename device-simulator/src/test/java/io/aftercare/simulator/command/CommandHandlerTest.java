package io.aftercare.simulator.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.aftercare.simulator.device.DeviceType;
import io.aftercare.simulator.device.Devices;
import io.aftercare.simulator.device.Reading;
import io.aftercare.simulator.device.SimulatedDevice;
import io.aftercare.simulator.fault.ActiveFault;
import io.aftercare.simulator.fault.FaultKind;
import io.aftercare.simulator.link.Documents;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The platform does not deliver commands yet, so the handler is tested on its own, from the command
 * document a device would receive on {@code devices/{id}/commands}.
 */
class CommandHandlerTest {

  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

  private final CommandHandler handler = new CommandHandler();

  @Test
  void rebootIsAcceptedDropsTheConnectionAndComesBackWithUptimeZero() {
    SimulatedDevice thermostat = Devices.create("t-1", DeviceType.THERMOSTAT, 1);
    thermostat.tick(NOW, Duration.ofSeconds(10));

    CommandReply reply = handler.handle(thermostat, command("reboot", "{}"), NOW);

    assertThat(reply.immediate()).extracting(CommandResult::status).containsExactly("accepted");
    assertThat(reply.dropConnection()).isTrue();
    assertThat(reply.afterReconnect())
        .hasValueSatisfying(
            r -> {
              assertThat(r.status()).isEqualTo("succeeded");
              assertThat(r.output()).containsEntry("uptime_s", 0);
            });
    Reading back = thermostat.tick(NOW.plusSeconds(1), Duration.ofSeconds(1));
    assertThat(back.number("uptime_s")).isEqualTo(1.0);
    assertThat(back.events())
        .singleElement()
        .satisfies(e -> assertThat(e.code()).isEqualTo("R_COMMAND"));
  }

  @Test
  void resetNetworkCuresWifiFlappingWhenTheScenarioSaysSo() {
    SimulatedDevice camera = Devices.create("c-1", DeviceType.CAMERA, 1);
    camera.inject(FaultKind.WIFI_FLAPPING, NOW, Optional.of("reset_network"));

    CommandReply reply = handler.handle(camera, command("reset_network", "{}"), NOW);

    assertThat(reply.cured())
        .extracting(ActiveFault::kind)
        .containsExactly(FaultKind.WIFI_FLAPPING);
    assertThat(camera.has(FaultKind.WIFI_FLAPPING)).isFalse();
    assertThat(reply.dropConnection()).isTrue();
  }

  @Test
  void rebootFreesMemoryButDoesNotCureALeakWithAnotherCure() {
    SimulatedDevice hub = Devices.create("h-1", DeviceType.HUB, 1);
    hub.inject(FaultKind.MEMORY_LEAK, NOW, Optional.of("firmware_rollback"));

    CommandReply reply = handler.handle(hub, command("reboot", "{}"), NOW);

    assertThat(reply.cured()).isEmpty();
    assertThat(hub.has(FaultKind.MEMORY_LEAK)).isTrue();
  }

  @Test
  void selfTestFailsTheComponentsTheFaultDamages() {
    SimulatedDevice fridge = Devices.create("f-1", DeviceType.FRIDGE, 1);
    fridge.inject(FaultKind.OVERHEATING, NOW, Optional.empty());

    CommandReply reply = handler.handle(fridge, command("run_self_test", "{}"), NOW);

    CommandResult result = reply.immediate().get(0);
    assertThat(result.status()).isEqualTo("succeeded");
    assertThat(result.output()).containsEntry("result", "fail");
    assertThat(result.output().get("components"))
        .isEqualTo(
            Map.of(
                "sensors", "fail",
                "radio", "pass",
                "storage", "pass",
                "memory", "pass",
                "firmware", "pass",
                "power", "pass",
                "actuator", "fail"));
  }

  @Test
  void selfTestNamesTheComponentsAsTheCatalogDoesAndTestsOnlyTheOneAskedFor() {
    SimulatedDevice hub = Devices.create("h-1", DeviceType.HUB, 1);
    hub.inject(FaultKind.WIFI_FLAPPING, NOW, Optional.empty());

    CommandResult radio =
        handler
            .handle(hub, command("run_self_test", "{\"component\": \"radio\"}"), NOW)
            .immediate()
            .get(0);
    CommandResult sensors =
        handler
            .handle(hub, command("run_self_test", "{\"component\": \"sensors\"}"), NOW)
            .immediate()
            .get(0);

    assertThat(radio.output()).containsEntry("result", "fail");
    assertThat(radio.output().get("components")).isEqualTo(Map.of("radio", "fail"));
    assertThat(sensors.output()).containsEntry("result", "pass");
    assertThat(sensors.output().get("components")).isEqualTo(Map.of("sensors", "pass"));
  }

  @Test
  void selfTestOfAHealthyDevicePasses() {
    SimulatedDevice lock = Devices.create("l-1", DeviceType.DOOR_LOCK, 1);

    CommandResult result =
        handler.handle(lock, command("run_self_test", "{}"), NOW).immediate().get(0);

    assertThat(result.output()).containsEntry("result", "pass");
  }

  @Test
  void setConfigAppliesKnownSettingsAndRefusesUnknownOnes() {
    SimulatedDevice thermostat = Devices.create("t-1", DeviceType.THERMOSTAT, 1);

    CommandResult applied =
        handler
            .handle(
                thermostat,
                command("set_config", "{\"key\": \"setpoint_c\", \"value\": \"23.5\"}"),
                NOW)
            .immediate()
            .get(0);
    CommandResult refused =
        handler
            .handle(
                thermostat, command("set_config", "{\"key\": \"volume\", \"value\": \"3\"}"), NOW)
            .immediate()
            .get(0);

    assertThat(applied.status()).isEqualTo("succeeded");
    assertThat(thermostat.tick(NOW, Duration.ofSeconds(1)).number("setpoint_c")).isEqualTo(23.5);
    assertThat(refused.status()).isEqualTo("failed");
  }

  @Test
  void firmwareRollbackCuresARebootLoop() {
    SimulatedDevice plug = Devices.create("p-1", DeviceType.SMART_PLUG, 1);
    plug.inject(FaultKind.REBOOT_LOOP, NOW, Optional.of("firmware_rollback"));

    CommandReply reply = handler.handle(plug, command("firmware_rollback", "{}"), NOW);

    assertThat(reply.afterReconnect())
        .hasValueSatisfying(r -> assertThat(r.output()).containsEntry("firmware", "2.3.9"));
    assertThat(plug.has(FaultKind.REBOOT_LOOP)).isFalse();
  }

  @Test
  void collectLogsMentionsTheFault() {
    SimulatedDevice hub = Devices.create("h-1", DeviceType.HUB, 1);
    hub.inject(FaultKind.ERROR_BURST, NOW, Optional.empty());

    CommandResult result =
        handler.handle(hub, command("collect_logs", "{}"), NOW).immediate().get(0);

    assertThat((String) result.output().get("log"))
        .contains("E_ZIGBEE_TIMEOUT repeated")
        .contains("ssid=\"Home-h-1\"", " dhcp 192.168.1.");
  }

  @Test
  void identifyAndUnknownAndExpiredCommands() {
    SimulatedDevice hub = Devices.create("h-1", DeviceType.HUB, 1);

    assertThat(handler.handle(hub, command("identify", "{}"), NOW).immediate().get(0).status())
        .isEqualTo("succeeded");
    assertThat(handler.handle(hub, command("self_destruct", "{}"), NOW).immediate().get(0).status())
        .isEqualTo("failed");
    Command expired =
        Documents.command(
            bytes(
                "{\"commandId\":\"c-9\",\"name\":\"identify\",\"params\":{},\"expiresAt\":\"2026-11-23T09:00:00Z\"}"));
    assertThat(handler.handle(hub, expired, NOW).immediate().get(0).output())
        .containsEntry("error", "command expired");
  }

  /** Parses the contract's command document, as the device receives it. */
  private static Command command(String name, String params) {
    return Documents.command(
        bytes(
            "{\"commandId\":\"c-7f3a\",\"name\":\""
                + name
                + "\",\"params\":"
                + params
                + ",\"expiresAt\":\"2026-11-23T10:05:00Z\"}"));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
