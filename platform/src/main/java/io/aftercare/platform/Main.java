package io.aftercare.platform;

import ch.qos.logback.classic.LoggerContext;
import io.aftercare.platform.config.AftercareConfig;
import io.aftercare.platform.config.ConfigException;
import io.aftercare.platform.config.ConfigLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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
    // The one shutdown hook (Ctrl-C, SIGTERM, System.exit after a failed start): the platform is
    // closed in order, its embedded database last (that library's own hook, which stopped the
    // database at once, is turned off), and only then is logging stopped, writing out the queued
    // lines of the stop.
    AtomicReference<Platform> running = new AtomicReference<>();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  Platform platform = running.get();
                  if (platform != null) {
                    platform.close();
                  }
                  stopLogging();
                },
                "aftercare-shutdown"));
    try {
      AftercareConfig config = new ConfigLoader().load(file, System.getenv());
      running.set(Platform.start(config));
    } catch (ConfigException e) {
      // The operator's to fix, and the message names the key: a stack trace would bury it.
      spec.commandLine().getErr().println("aftercare: " + e.getMessage());
      return CommandLine.ExitCode.USAGE;
    }
    // Runs until the JVM is asked to stop; the hook above does the rest.
    new CountDownLatch(1).await();
    return 0;
  }

  private static void stopLogging() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
      logback.stop();
    }
  }
}
