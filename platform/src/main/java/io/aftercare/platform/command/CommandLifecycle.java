package io.aftercare.platform.command;

import io.aftercare.domain.CommandResult;
import java.util.Optional;

/**
 * Which transitions a command may take. Pure rules, no I/O:
 *
 * <pre>
 * queued ──deliver──▶ sent ──accepted──▶ accepted ──succeeded/failed──▶ succeeded | failed
 *   │                  │  └───────────succeeded/failed──────────────────▶
 *   │                  └──── no final result within the delivery timeout ──▶ timed_out
 *   └──── not delivered within the TTL ──▶ expired
 * </pre>
 *
 * A command that needs a second approver starts in {@code awaiting_approval} and is queued when
 * approved, or ends {@code rejected} or, undecided in time, {@code expired}; the device never sees
 * it before. A device may answer a command it received before the platform saw the delivery
 * confirmed (the PUBACK can cross the result), so results are accepted from {@code queued} too. A
 * result for a command that already ended is not applied: it is recorded as late.
 */
public final class CommandLifecycle {

  private CommandLifecycle() {}

  /**
   * The state after a device's result, or empty if the result comes too late to apply (or, for a
   * command still awaiting approval, that the device cannot have received: kept as late too).
   */
  public static Optional<CommandStatus> afterResult(
      CommandStatus current, CommandResult.Status result) {
    if (current.isFinal() || current == CommandStatus.AWAITING_APPROVAL) {
      return Optional.empty();
    }
    return switch (result) {
      case ACCEPTED -> Optional.of(CommandStatus.ACCEPTED);
      case SUCCEEDED -> Optional.of(CommandStatus.SUCCEEDED);
      case FAILED -> Optional.of(CommandStatus.FAILED);
    };
  }

  /** Whether a confirmed delivery moves the command to {@code sent}. */
  public static boolean deliverable(CommandStatus current) {
    return current == CommandStatus.QUEUED;
  }
}
