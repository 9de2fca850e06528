package io.aftercare.simulator.command;

import java.util.Map;

/**
 * A command result document for {@code devices/{id}/commands/result}.
 *
 * @param status {@code accepted}, {@code succeeded} or {@code failed}
 */
public record CommandResult(String commandId, String status, Map<String, Object> output) {

  public static CommandResult accepted(String commandId) {
    return new CommandResult(commandId, "accepted", Map.of());
  }

  public static CommandResult succeeded(String commandId, Map<String, Object> output) {
    return new CommandResult(commandId, "succeeded", output);
  }

  public static CommandResult failed(String commandId, String error) {
    return new CommandResult(commandId, "failed", Map.of("error", error));
  }
}
