package io.aftercare.simulator.command;

import io.aftercare.simulator.fault.ActiveFault;
import java.util.List;
import java.util.Optional;

/**
 * What a device does about a command.
 *
 * @param immediate results to send right away
 * @param dropConnection whether the device leaves the network now (reboot, network reset)
 * @param afterReconnect the result a device sends once it is back, e.g. a reboot's success
 * @param cured faults the command removed, for the ground truth
 */
public record CommandReply(
    List<CommandResult> immediate,
    boolean dropConnection,
    Optional<CommandResult> afterReconnect,
    List<ActiveFault> cured) {

  static CommandReply now(CommandResult result, List<ActiveFault> cured) {
    return new CommandReply(List.of(result), false, Optional.empty(), cured);
  }

  static CommandReply afterRestart(
      CommandResult accepted, CommandResult done, List<ActiveFault> cured) {
    return new CommandReply(List.of(accepted), true, Optional.of(done), cured);
  }
}
