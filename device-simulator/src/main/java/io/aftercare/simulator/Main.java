package io.aftercare.simulator;

import io.aftercare.simulator.cli.LoadCommand;
import io.aftercare.simulator.cli.RunCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar device-simulator.jar run|load ...}; see docs/simulator.md. */
@Command(
    name = "device-simulator",
    mixinStandardHelpOptions = true,
    description = "Simulated smart-home fleet and load generator for Aftercare.",
    subcommands = {RunCommand.class, LoadCommand.class})
public final class Main {

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }
}
