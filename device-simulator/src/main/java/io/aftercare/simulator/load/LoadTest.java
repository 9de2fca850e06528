package io.aftercare.simulator.load;

import io.aftercare.simulator.link.CoapEndpoints;
import io.aftercare.simulator.platform.PlatformApi;
import io.aftercare.simulator.platform.Provisioner;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.spi.SelectorProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.eclipse.californium.core.network.Endpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The load test: provision, ramp up connections, send on an open-loop schedule (message {@code i}
 * is due at {@code start + i / rate}, whatever happened to earlier ones), wait for the
 * acknowledgements, then ask the platform what it stored.
 */
public final class LoadTest {

  private static final Logger LOG = LoggerFactory.getLogger(LoadTest.class);

  /**
   * UDP sockets the CoAP devices share. One socket for the whole fleet kept one receiver thread
   * busy and capped the client near 3,500 requests/s; each endpoint has its own socket and threads.
   * (A real device has a socket of its own, but thousands of Californium endpoints would cost
   * threads the generator needs.)
   */
  private static final int COAP_SOCKETS = 8;

  /** A missing PUBACK is a failure worth reporting, not something to wait for forever. */
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

  /** Longer than the client's ack timeout, so every message ends acked or failed. */
  private static final long DRAIN_TIMEOUT_S = 40;

  /**
   * Event loops for the MQTT devices. Each polls its sockets once per tick ({@link
   * PacedSelectStrategy}), whatever its load, so every extra loop costs a thousand wake-ups a
   * second; one loop writes and reads 30,000 messages a second with time to spare.
   */
  private static final int MQTT_EVENT_LOOPS = 1;

  private final LoadSettings settings;
  private final PlatformApi api;
  private final Provisioner provisioner;
  private final LoadStats stats = new LoadStats();

  /**
   * @param api and {@code provisioner} are null with --no-provision
   */
  public LoadTest(LoadSettings settings, PlatformApi api, Provisioner provisioner) {
    this.settings = settings;
    this.api = api;
    this.provisioner = provisioner;
  }

  public LoadReport run() {
    List<String> tokens = provisionTokens();
    EventLoopGroup mqttLoops =
        new MultiThreadIoEventLoopGroup(
            MQTT_EVENT_LOOPS,
            NioIoHandler.newFactory(
                SelectorProvider.provider(),
                () -> new PacedSelectStrategy(TickScheduler.TICK_NANOS)));
    List<Endpoint> coapEndpoints = new ArrayList<>();
    try {
      if (settings.protocol().equals("coap") || settings.protocol().equals("mixed")) {
        for (int i = 0; i < Math.min(COAP_SOCKETS, settings.devices()); i++) {
          Endpoint endpoint = CoapEndpoints.plain();
          coapEndpoints.add(endpoint);
          endpoint.start();
        }
      }
      List<LoadConnection> connections = open(mqttLoops, coapEndpoints, tokens);
      long rampStart = System.nanoTime();
      int connected = rampUp(connections);
      double rampUpS = (System.nanoTime() - rampStart) / 1e9;
      LOG.info("{} of {} devices connected in {} s", connected, connections.size(), rampUpS);

      CpuMeter cpu = new CpuMeter();
      long scheduleStart = System.nanoTime();
      stats.scheduleStarts(scheduleStart, settings.warmup().toNanos());
      List<WatchedProcess> watched = new ArrayList<>(settings.watched());
      watched.add(WatchedProcess.generator());
      ProcessCpuWindow processCpu =
          new ProcessCpuWindow(watched, scheduleStart + settings.warmup().toNanos());
      TickScheduler scheduler =
          new TickScheduler(
              connections, settings.rate(), settings.totalMessages(), NanoClock.SYSTEM);
      scheduler.run(scheduleStart, System.currentTimeMillis());
      awaitOutstanding(scheduler, connections);
      CpuMeter.Usage usage = cpu.stop();
      LoadReport.ProcessCosts processCosts = processCpu.finish(stats.ackedMeasuredCount());
      closeAll(connections);

      List<DeviceTally> tallies = connections.stream().map(LoadConnection::tally).toList();
      DeliveryCheck.Result delivery =
          api == null ? null : new DeliveryCheck(api, settings.documents()).check(tallies);
      return report(connected, rampUpS, usage, processCosts, delivery);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a CoAP endpoint", e);
    } finally {
      coapEndpoints.forEach(Endpoint::destroy);
      mqttLoops.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  private List<String> provisionTokens() {
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < settings.devices(); i++) {
      tokens.add(
          provisioner == null ? null : provisioner.tokenFor(settings.deviceId(i), id -> "load"));
    }
    if (provisioner != null) {
      provisioner.save();
    }
    return tokens;
  }

  private List<LoadConnection> open(
      EventLoopGroup mqttLoops, List<Endpoint> coap, List<String> tokens) {
    MqttQoS qos = settings.qos() == 0 ? MqttQoS.AT_MOST_ONCE : MqttQoS.AT_LEAST_ONCE;
    TelemetryDocument document = new TelemetryDocument(settings.metrics(), settings.documents());
    List<LoadConnection> connections = new ArrayList<>();
    int mqttDevices = 0;
    for (int i = 0; i < settings.devices(); i++) {
      String id = settings.deviceId(i);
      URI server = settings.onCoap(i) ? null : settings.mqttServer(mqttDevices++);
      connections.add(
          settings.onCoap(i)
              ? new CoapLoadConnection(
                  coap.get(i % coap.size()),
                  settings.coap(),
                  id,
                  tokens.get(i),
                  settings.maxInflight(),
                  document,
                  stats)
              : new MqttLoadConnection(
                  mqttLoops.next(),
                  server.getHost(),
                  server.getPort(),
                  id,
                  tokens.get(i),
                  qos,
                  settings.maxInflight(),
                  ACK_TIMEOUT,
                  document,
                  stats));
    }
    return connections;
  }

  /** Starts connections at the ramp rate and waits for all of them to succeed or fail. */
  private int rampUp(List<LoadConnection> connections) {
    long start = System.nanoTime();
    List<CompletableFuture<Boolean>> results = new ArrayList<>();
    for (int i = 0; i < connections.size(); i++) {
      NanoClock.SYSTEM.parkUntil(start + (long) (i * 1e9 / settings.rampRate()));
      results.add(
          connections
              .get(i)
              .connect()
              .toCompletableFuture()
              .handle(
                  (ok, error) -> {
                    if (error != null) {
                      stats.error("connect_failed: " + rootMessage(error));
                      return false;
                    }
                    return true;
                  }));
    }
    return (int) results.stream().filter(CompletableFuture::join).count();
  }

  private void awaitOutstanding(TickScheduler scheduler, List<LoadConnection> connections) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DRAIN_TIMEOUT_S);
    while (System.nanoTime() < deadline
        && (!scheduler.handedOver() || connections.stream().anyMatch(c -> c.outstanding() > 0))) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  private static void closeAll(List<LoadConnection> connections) {
    CompletableFuture<?>[] closing =
        connections.stream()
            .map(c -> c.close().toCompletableFuture())
            .toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(closing).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("not every connection closed cleanly: {}", e.toString());
    }
  }

  private LoadReport report(
      int connected,
      double rampUpS,
      CpuMeter.Usage usage,
      LoadReport.ProcessCosts processCosts,
      DeliveryCheck.Result delivery) {
    long acked = stats.ackedCount();
    long measured = stats.ackedMeasuredCount();
    double window = Math.max(1e-9, (stats.lastAckNanos() - stats.measuredFromNanos()) / 1e9);
    double messagesPerSecond = measured == 0 ? 0 : measured / window;
    Histogram latency = stats.latency();
    Histogram connect = stats.connectTimes();
    Histogram lag = stats.generatorLag();
    Map<String, Long> errors = stats.errors();
    return new LoadReport(
        settings.devices(),
        connected,
        settings.protocol(),
        settings.qos(),
        settings.duration().toMillis() / 1000.0,
        settings.warmup().toMillis() / 1000.0,
        settings.rate(),
        settings.metrics(),
        settings.documents(),
        stats.sentCount(),
        acked,
        stats.failedCount(),
        delivery == null ? "unknown" : delivery.lost(),
        delivery == null ? "unknown" : delivery.duplicateRows() + stats.duplicateAckCount(),
        delivery == null ? "unknown" : delivery.storedNotAcked(),
        stats.duplicateAckCount(),
        round(messagesPerSecond),
        round(messagesPerSecond * settings.metrics() * settings.documents()),
        new LoadReport.Latency(
            ms(latency.getValueAtPercentile(50)),
            ms(latency.getValueAtPercentile(95)),
            ms(latency.getValueAtPercentile(99)),
            ms(latency.getValueAtPercentile(99.9)),
            ms(latency.getMaxValue()),
            round(latency.getMean() / 1000.0)),
        new LoadReport.Connect(
            round(rampUpS),
            ms(connect.getValueAtPercentile(50)),
            ms(connect.getValueAtPercentile(99)),
            ms(connect.getMaxValue())),
        errors,
        stats.timeline(),
        new LoadReport.Simulator(
            round(usage.percentOfMachine()),
            round(usage.cpuSeconds()),
            usage.cores(),
            new LoadReport.Lag(
                ms(lag.getValueAtPercentile(50)),
                ms(lag.getValueAtPercentile(99)),
                ms(lag.getMaxValue()))),
        processCosts);
  }

  private static double ms(long micros) {
    return round(micros / 1000.0);
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }

  private static String rootMessage(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
