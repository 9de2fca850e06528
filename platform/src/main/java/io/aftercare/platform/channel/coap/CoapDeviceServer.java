package io.aftercare.platform.channel.coap;

import io.aftercare.bridge.lease.DutyLeases;
import io.aftercare.platform.command.CommandService;
import io.aftercare.platform.config.AftercareConfig;
import io.aftercare.platform.device.DeviceConnectivity;
import io.aftercare.platform.device.DeviceRegistry;
import io.aftercare.platform.ingest.IngestService;
import io.aftercare.platform.ingest.UplinkKind;
import io.aftercare.platform.security.FailedAuthentication;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CoAP door for devices: one Californium server with a UDP endpoint and a DTLS-PSK endpoint
 * (ECDHE-PSK preferred, see {@link DtlsCipherSuites}), serving {@code /devices/{id}/telemetry},
 * {@code /devices/{id}/events} and the observable {@code /devices/{id}/commands}.
 *
 * <p>Californium runs its own threads. Every request is moved onto one Vert.x context, captured
 * here at start, and answered from there, so neither side blocks the other.
 */
public final class CoapDeviceServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CoapDeviceServer.class);

  private final Vertx vertx;
  private final AftercareConfig.Coap config;
  private final AftercareConfig.Tls tls;
  private final IngestService ingest;
  private final CommandService commandService;
  private final DeviceRegistry registry;
  private final FailedAuthentication failedAuth;
  private final CoapPresence presence;
  private final CoapMetrics metrics;
  private final CoapCommandChannel commands = new CoapCommandChannel();
  private CoapServer server;
  private CoapEndpoint plain;
  private CoapEndpoint secure;

  public CoapDeviceServer(
      Vertx vertx,
      AftercareConfig.Coap config,
      AftercareConfig.Tls tls,
      IngestService ingest,
      CommandService commandService,
      DeviceRegistry registry,
      DeviceConnectivity connectivity,
      FailedAuthentication failedAuth,
      MeterRegistry meters,
      DutyLeases leases) {
    this.vertx = vertx;
    this.config = config;
    this.tls = tls;
    this.ingest = ingest;
    this.commandService = commandService;
    this.registry = registry;
    this.failedAuth = failedAuth;
    this.presence = new CoapPresence(connectivity, config.onlineWindow(), leases);
    this.metrics = new CoapMetrics(meters);
  }

  /** Binds both ports (port 0 picks a free one) and starts serving. */
  public void start() {
    Context context = vertx.getOrCreateContext();
    CoapGatewayServices services =
        new CoapGatewayServices(
            context,
            ingest,
            commandService,
            new CoapDeviceAuthenticator(registry, failedAuth),
            presence,
            metrics,
            config.maxPayloadBytes(),
            config.retryAfter());
    Configuration configuration = CaliforniumSettings.from(config, tls);
    GatedStackFactory stacks =
        new GatedStackFactory(
            new Block1Gate(
                services,
                new OpenTransfers(
                    config.maxOpenTransfers(), config.blockwiseLifetime(), System::nanoTime)));
    CommandsResource commandsResource = new CommandsResource(services);
    commandsResource.add(new UplinkResource("result", services));
    commands.attach(commandsResource);
    commandService.addChannel(commands);

    plain =
        CoapEndpoint.builder()
            .setConfiguration(configuration)
            .setInetSocketAddress(new InetSocketAddress(config.host(), config.port()))
            .setCoapStackFactory(stacks)
            .build();
    DtlsConnectorConfig dtls =
        DtlsConnectorConfig.builder(configuration)
            .setAddress(new InetSocketAddress(config.host(), config.securePort()))
            .setAdvancedPskStore(new DevicePskStore(registry, context))
            .setSessionListener(new DtlsAuthAccounting(failedAuth))
            .setCipherSuiteSelector(
                new ServerPreferenceCipherSuiteSelector(
                    configuration.get(DtlsConfig.DTLS_CIPHER_SUITES)))
            .build();
    secure =
        CoapEndpoint.builder()
            .setConfiguration(configuration)
            .setConnector(new DTLSConnector(dtls))
            .setCoapStackFactory(stacks)
            .build();

    server = new CoapServer(configuration);
    server.addEndpoint(plain);
    server.addEndpoint(secure);
    server.add(
        new DevicesResource(
            new UplinkResource(UplinkKind.TELEMETRY.suffix(), services),
            new UplinkResource(UplinkKind.EVENT.suffix(), services),
            commandsResource));
    server.start();
    context.runOnContext(v -> presence.start(vertx));
    LOG.info(
        "CoAP listening on {}:{} (UDP) and {}:{} (DTLS-PSK)",
        config.host(),
        port(),
        config.host(),
        securePort());
  }

  public int port() {
    return plain.getAddress().getPort();
  }

  public int securePort() {
    return secure.getAddress().getPort();
  }

  /** Where the command service reaches observing devices. */
  public CoapCommandChannel commands() {
    return commands;
  }

  /** Stops answering; requests in flight are not answered and devices retransmit them. */
  @Override
  public void close() {
    presence.close();
    if (server != null) {
      server.destroy();
    }
  }
}
