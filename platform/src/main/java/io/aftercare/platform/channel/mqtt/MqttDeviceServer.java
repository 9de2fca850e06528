package io.aftercare.platform.channel.mqtt;

import io.aftercare.platform.cluster.NodeIdentity;
import io.aftercare.platform.command.CommandService;
import io.aftercare.platform.config.AftercareConfig;
import io.aftercare.platform.device.DeviceConnectivity;
import io.aftercare.platform.device.DeviceRegistry;
import io.aftercare.platform.ingest.IngestService;
import io.aftercare.platform.security.FailedAuthentication;
import io.aftercare.platform.security.ServerCertificate;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttServerOptions;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT door for devices: one vertx-mqtt server per event loop, all on one port, and as many
 * again on the TLS port when a certificate is configured.
 *
 * <p>With port 0 the first instance picks a free port and the others join it.
 */
public final class MqttDeviceServer {

  /** The channel's name in connectivity records, rejections and command deliveries. */
  public static final String PROTOCOL = "mqtt";

  private static final Logger LOG = LoggerFactory.getLogger(MqttDeviceServer.class);

  private final Vertx vertx;
  private final AftercareConfig.Mqtt config;
  private final MqttGatewayServices services;
  private final ConnectionsPerSource sources = new ConnectionsPerSource();
  private final AtomicInteger actualPort = new AtomicInteger();
  private final AtomicInteger actualTlsPort = new AtomicInteger();
  private final Optional<ServerCertificate> certificate;
  private final int tlsPort;
  private volatile String deploymentId;
  private volatile String tlsDeploymentId;

  public MqttDeviceServer(
      Vertx vertx,
      AftercareConfig.Mqtt config,
      IngestService ingest,
      CommandService commands,
      DeviceRegistry registry,
      DeviceConnectivity connectivity,
      FailedAuthentication failedAuth,
      MeterRegistry meters,
      Optional<ServerCertificate> certificate,
      int tlsPort,
      NodeIdentity node) {
    this.vertx = vertx;
    this.config = config;
    this.certificate = certificate;
    this.tlsPort = tlsPort;
    ConnectionRegistry connections = new ConnectionRegistry();
    this.services =
        new MqttGatewayServices(
            ingest,
            commands,
            registry,
            connectivity,
            connections,
            new ClusterTakeovers(vertx.eventBus(), node, connections),
            MqttSettings.from(config),
            new MqttMetrics(meters),
            failedAuth);
    commands.addChannel(new MqttCommandChannel(connections));
  }

  /** Starts all instances; completes with the port they listen on. */
  public Future<Integer> start() {
    // Vert.x shares one listening socket among servers of the same host and port. Port 0 would
    // give each instance its own random port; a negative port means "one random port shared by
    // every server asking for this same negative port".
    int port = config.port() == 0 ? -1 : config.port();
    return services
        .takeovers()
        .start()
        .compose(
            listening ->
                vertx.deployVerticle(
                    () -> new Instance(options(port), actualPort),
                    new DeploymentOptions().setInstances(config.instances())))
        .compose(
            deployed -> {
              deploymentId = deployed;
              LOG.info(
                  "MQTT listening on {}:{} ({} instances)",
                  config.host(),
                  actualPort.get(),
                  config.instances());
              return startTls();
            })
        .map(tls -> actualPort.get());
  }

  /** The MQTT over TLS listener, when a certificate is configured and its port is not -1. */
  private Future<Void> startTls() {
    if (certificate.isEmpty() || tlsPort < 0) {
      return Future.succeededFuture();
    }
    // -2: like -1 above, one random port shared by the TLS instances, distinct from the plain one.
    int port = tlsPort == 0 ? -2 : tlsPort;
    return vertx
        .deployVerticle(
            () -> {
              MqttServerOptions options = options(port);
              certificate.get().secure(options);
              return new Instance(options, actualTlsPort);
            },
            new DeploymentOptions().setInstances(config.instances()))
        .map(
            deployed -> {
              tlsDeploymentId = deployed;
              LOG.info("MQTT over TLS listening on {}:{}", config.host(), actualTlsPort.get());
              return null;
            });
  }

  /** The port of MQTT over TLS, or -1 when there is no such listener. */
  public int tlsPort() {
    return tlsDeploymentId == null ? -1 : actualTlsPort.get();
  }

  /**
   * Stops listening and closes every device connection, while the rest of the platform still runs:
   * each closed connection records its device offline, which needs the database and an event loop.
   */
  public Future<Void> close() {
    services.connections().markClosing();
    Future<Void> tls =
        tlsDeploymentId == null ? Future.succeededFuture() : vertx.undeploy(tlsDeploymentId);
    return tls.compose(
        closed -> deploymentId == null ? Future.succeededFuture() : vertx.undeploy(deploymentId));
  }

  private MqttServerOptions options(int port) {
    return new MqttServerOptions()
        .setHost(config.host())
        .setPort(port)
        .setMaxMessageSize(config.maxPacketBytes())
        .setTimeoutOnConnect((int) config.connectTimeout().toSeconds())
        // A client must name itself: the client id is the device id.
        .setAutoClientId(false)
        .setMaxClientIdLength(64);
  }

  private final class Instance extends VerticleBase {
    private final MqttServerOptions options;
    private final AtomicInteger boundPort;

    Instance(MqttServerOptions options, AtomicInteger boundPort) {
      this.options = options;
      this.boundPort = boundPort;
    }

    @Override
    public Future<?> start() {
      return GuardedMqttServer.create(
              vertx,
              options,
              () -> MqttPacketGuard.create(services.settings(), services.metrics(), sources))
          .endpointHandler(
              endpoint -> new MqttDeviceConnection(endpoint, services, context).onConnect())
          .exceptionHandler(e -> LOG.debug("MQTT server error: {}", e.getMessage()))
          .listen()
          .onSuccess(server -> boundPort.compareAndSet(0, server.actualPort()));
    }
  }
}
