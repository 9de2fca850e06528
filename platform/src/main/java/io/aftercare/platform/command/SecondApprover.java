package io.aftercare.platform.command;

import java.time.Duration;
import java.util.Set;

/**
 * Which commands need a second staff member's approval before they are sent ({@code
 * commands.secondApprover}), and how long one waits for it ({@code commands.approvalTimeout}).
 */
public record SecondApprover(Set<String> commands, Duration timeout) {

  /** Nothing needs approval: the role of the submitter is the only gate. */
  public static final SecondApprover NONE = new SecondApprover(Set.of(), Duration.ofHours(1));

  public SecondApprover {
    commands = Set.copyOf(commands);
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("commands.approvalTimeout must be positive");
    }
  }

  /**
   * Checks that every named command is in {@code catalog}, so a typo does not silently leave a
   * dangerous command without its approval.
   */
  public SecondApprover checkedAgainst(CommandCatalog catalog) {
    for (String name : commands) {
      if (catalog.spec(name).isEmpty()) {
        throw new IllegalStateException(
            "commands.secondApprover: '" + name + "' is not a command of the catalog");
      }
    }
    return this;
  }

  boolean requiredFor(String command) {
    return commands.contains(command);
  }
}
