package io.aftercare.simulator.command;

import io.aftercare.simulator.device.SimulatedDevice;
import io.aftercare.simulator.fault.ActiveFault;
import io.aftercare.simulator.fault.FaultKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Answers the catalog commands the way a device would. A command cures the injected faults whose
 * scenario names it as their cure; besides that it has only its natural effect (a reboot frees
 * memory but does not stop a leak).
 */
public final class CommandHandler {

  /** The command catalog of docs/device-contract.md, Commands on the device. */
  public static final Set<String> CATALOG =
      Set.of(
          "reboot",
          "run_self_test",
          "collect_logs",
          "reset_network",
          "set_config",
          "firmware_rollback",
          "identify");

  private final SelfTest selfTest = new SelfTest();

  public CommandReply handle(SimulatedDevice device, Command command, Instant now) {
    String id = command.commandId();
    if (command.expiresAt() != null && Instant.parse(command.expiresAt()).isBefore(now)) {
      return CommandReply.now(CommandResult.failed(id, "command expired"), List.of());
    }
    if (command.name() == null || !CATALOG.contains(command.name())) {
      return CommandReply.now(
          CommandResult.failed(id, "unknown command " + command.name()), List.of());
    }
    List<ActiveFault> cured = device.cureWith(command.name());
    return switch (command.name()) {
      case "reboot" -> {
        device.reboot(now, "R_COMMAND");
        yield CommandReply.afterRestart(
            CommandResult.accepted(id), CommandResult.succeeded(id, Map.of("uptime_s", 0)), cured);
      }
      case "reset_network" ->
          CommandReply.afterRestart(
              CommandResult.accepted(id),
              CommandResult.succeeded(
                  id, Map.of("wifi_rssi_dbm", Math.round(device.rssi()), "reconnected", true)),
              cured);
      case "run_self_test" ->
          CommandReply.now(
              CommandResult.succeeded(
                  id,
                  selfTest.run(
                      device,
                      String.valueOf(command.params().getOrDefault("component", SelfTest.ALL)))),
              cured);
      case "collect_logs" ->
          CommandReply.now(CommandResult.succeeded(id, logs(device, now)), cured);
      case "set_config" -> CommandReply.now(configure(device, command), cured);
      case "firmware_rollback" -> {
        device.rollBackFirmware();
        device.reboot(now, "R_COMMAND");
        yield CommandReply.afterRestart(
            CommandResult.accepted(id),
            CommandResult.succeeded(id, Map.of("firmware", device.firmware())),
            cured);
      }
      default -> // identify: blink the LED, nothing else changes
          CommandReply.now(
              CommandResult.succeeded(id, Map.of("blinking", true, "duration_s", 10)), cured);
    };
  }

  /**
   * Applies {@code set_config}'s one setting, {@code {"key", "value"}} as the platform's catalog
   * sends it: the value is a string, read as the boolean or number it spells.
   */
  private static CommandResult configure(SimulatedDevice device, Command command) {
    if (!(command.params().get("key") instanceof String key)
        || !(command.params().get("value") instanceof String text)) {
      return CommandResult.failed(command.commandId(), "no setting given");
    }
    Object value = typed(text);
    if (!device.configure(key, value)) {
      return CommandResult.failed(command.commandId(), "unsupported setting " + key);
    }
    return CommandResult.succeeded(command.commandId(), Map.of("applied", Map.of(key, value)));
  }

  private static Object typed(String text) {
    if (text.equals("true") || text.equals("false")) {
      return Boolean.parseBoolean(text);
    }
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      return text;
    }
  }

  /**
   * A few log lines that carry the traces a technician would look for, and the personal data real
   * device logs carry too (the home's Wi-Fi name, the device's addresses), which the platform
   * redacts before staff read the log.
   */
  private static Map<String, Object> logs(SimulatedDevice device, Instant now) {
    List<String> lines = new ArrayList<>();
    lines.add(
        now
            + " INFO firmware "
            + device.firmware()
            + " uptime "
            + (long) device.uptimeSeconds()
            + "s");
    int host = Math.floorMod(device.id().hashCode(), 200) + 20;
    lines.add(
        now
            + " INFO wifi associated ssid=\"Home-"
            + device.id()
            + "\" rssi "
            + Math.round(device.rssi())
            + " dhcp 192.168.1."
            + host
            + " mac 02:00:00:00:00:"
            + String.format("%02x", host));
    for (ActiveFault fault : device.faults()) {
      lines.add(fault.since() + " WARN " + symptom(device, fault.kind()));
    }
    return Map.of("lines", lines.size(), "log", String.join("\n", lines));
  }

  private static String symptom(SimulatedDevice device, FaultKind kind) {
    return switch (kind) {
      case OVERHEATING -> "thermal limit approached";
      case BATTERY_DRAIN -> "battery discharge rate high";
      case STUCK_SENSOR -> "sensor value unchanged";
      case WIFI_FLAPPING -> "wifi association lost repeatedly";
      case OFFLINE -> "network unreachable";
      case REBOOT_LOOP -> "watchdog reset during boot";
      case MEMORY_LEAK -> "heap free " + Math.round(device.memoryFreePct()) + "%";
      case ERROR_BURST -> device.errorCode() + " repeated";
      case ABNORMAL_POWER -> "power draw above model";
      case OVERHEAT_EPISODE -> "thermal limit exceeded, throttling";
    };
  }
}
