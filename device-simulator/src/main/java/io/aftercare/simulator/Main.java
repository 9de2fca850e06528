package io.aftercare.simulator;

import io.aftercare.simulator.cli.LoadCommand;
import io.aftercare.simulator.cli.RunCommand;
import io.aftercare.simulator.cli.ScoreCommand;
import io.aftercare.simulator.cli.TourCommand;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar device-simulator.jar run|load|score|tour ...}; see docs/simulator.md. */
@Command(
    name = "device-simulator",
    mixinStandardHelpOptions = true,
    description = "Simulated smart-home fleet and load generator for Aftercare.",
    subcommands = {RunCommand.class, LoadCommand.class, ScoreCommand.class, TourCommand.class})
public final class Main {

  /** Exit code for bad input or an unreachable platform, as opposed to a bug. */
  static final int USAGE_OR_ENVIRONMENT = 2;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with its error handling, also used by tests. */
  public static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new Main());
    commandLine.setExecutionExceptionHandler(
        (error, cmd, parsed) -> {
          // Wrong options, a bad scenario, an unreachable platform: say what, not where.
          if (error instanceof IllegalArgumentException
              || error instanceof IllegalStateException
              || error instanceof UncheckedIOException) {
            cmd.getErr().println("error: " + error.getMessage());
            return USAGE_OR_ENVIRONMENT;
          }
          throw error;
        });
    return commandLine;
  }
}
