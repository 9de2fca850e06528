package io.aftercare.platform;

import io.aftercare.platform.config.AftercareConfig;
import io.aftercare.platform.config.ConfigException;
import io.aftercare.platform.config.ConfigLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/** {@code java -jar platform.jar}: starts the platform, all-in-one. */
@Command(
    name = "gateway",
    mixinStandardHelpOptions = true,
    description = "Starts Aftercare: MQTT device gateway, durable ingest and the staff REST API.")
public final class Main implements Callable<Integer> {

  @Option(
      names = "--config",
      description =
          "YAML file overriding the defaults (see aftercare.yaml); also AFTERCARE_CONFIG.")
  private Path configFile;

  @Spec private CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public Integer call() throws InterruptedException {
    Path file = configFile;
    if (file == null && System.getenv("AFTERCARE_CONFIG") != null) {
      file = Path.of(System.getenv("AFTERCARE_CONFIG"));
    }
    Platform platform;
    try {
      AftercareConfig config = new ConfigLoader().load(file, System.getenv());
      platform = Platform.start(config);
    } catch (ConfigException e) {
      // The operator's to fix, and the message names the key: a stack trace would bury it.
      spec.commandLine().getErr().println("aftercare: " + e.getMessage());
      return CommandLine.ExitCode.USAGE;
    }
    // Stop on Ctrl-C or SIGTERM by closing the platform in order *before* the JVM's shutdown hooks
    // run: the embedded PostgreSQL library registers a hook of its own that stops the database at
    // once, which, racing ours, cut off the writer and the ticket bridge mid-transaction.
    CountDownLatch stopRequested = new CountDownLatch(1);
    for (String name : List.of("INT", "TERM")) {
      Signal.handle(new Signal(name), signal -> stopRequested.countDown());
    }
    // Any other way out (SIGHUP, System.exit) still closes what it can.
    Runtime.getRuntime().addShutdownHook(new Thread(platform::close, "aftercare-shutdown"));
    stopRequested.await();
    platform.close();
    return 0;
  }
}
