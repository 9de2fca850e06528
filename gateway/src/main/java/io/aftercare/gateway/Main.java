package io.aftercare.gateway;

import io.aftercare.gateway.config.AftercareConfig;
import io.aftercare.gateway.config.ConfigLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar gateway.jar}: starts the platform, all-in-one. */
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

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public Integer call() throws InterruptedException {
    Path file = configFile;
    if (file == null && System.getenv("AFTERCARE_CONFIG") != null) {
      file = Path.of(System.getenv("AFTERCARE_CONFIG"));
    }
    AftercareConfig config = new ConfigLoader().load(file, System.getenv());
    Platform platform = Platform.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  platform.close();
                  stopped.countDown();
                },
                "aftercare-shutdown"));
    stopped.await();
    return 0;
  }
}
