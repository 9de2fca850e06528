package io.aftercare.simulator.testing;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.Resource;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedMultiPskStore;

/**
 * Stands in for the platform's CoAP server, which is being built in parallel: a real Californium
 * server on free ports (UDP and DTLS/PSK) that answers the contract's requests with 2.04 Changed
 * and records what it received, so the simulator's CoAP client is tested over real sockets. It
 * stores nothing and authenticates only the DTLS PSK.
 */
public final class CoapContractStub implements AutoCloseable {

  /** One request as the server saw it. */
  public record Received(
      String path, String token, String pskIdentity, int contentFormat, String payload) {}

  static {
    CoapConfig.register();
    UdpConfig.register();
    DtlsConfig.register();
  }

  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final CoapServer server;
  private final CoapEndpoint plain;
  private final CoapEndpoint secure;
  private final CommandsResource commands = new CommandsResource();

  /**
   * @param pskIdentity and {@code pskKey}: the one device that may use DTLS
   */
  public CoapContractStub(String pskIdentity, String pskKey) {
    Configuration config = Configuration.createStandardWithoutFile();
    AdvancedMultiPskStore keys = new AdvancedMultiPskStore();
    keys.setKey(pskIdentity, pskKey.getBytes(StandardCharsets.UTF_8));
    plain =
        CoapEndpoint.builder()
            .setConfiguration(config)
            .setInetSocketAddress(new InetSocketAddress("127.0.0.1", 0))
            .build();
    secure =
        CoapEndpoint.builder()
            .setConfiguration(config)
            .setConnector(
                new DTLSConnector(
                    DtlsConnectorConfig.builder(config)
                        .set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.SERVER_ONLY)
                        .setAddress(new InetSocketAddress("127.0.0.1", 0))
                        .setAdvancedPskStore(keys)
                        .build()))
            .build();
    server = new CoapServer(config);
    server.addEndpoint(plain);
    server.addEndpoint(secure);
    server.add(new AnyDevice());
    server.start();
  }

  public URI coapUri() {
    return URI.create("coap://127.0.0.1:" + plain.getAddress().getPort());
  }

  public URI coapsUri() {
    return URI.create("coaps://127.0.0.1:" + secure.getAddress().getPort());
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  /** Notifies every observer of {@code /devices/{id}/commands} with this command document. */
  public void pushCommand(String json) {
    commands.push(json);
  }

  @Override
  public void close() {
    server.destroy();
  }

  /** {@code /devices/...}: resolves every path below it, like the contract's per-device tree. */
  private final class AnyDevice extends CoapResource {

    AnyDevice() {
      super("devices");
    }

    @Override
    public Resource getChild(String name) {
      return name.equals("commands") ? commands : this;
    }

    @Override
    public void handlePOST(CoapExchange exchange) {
      Principal peer = exchange.advanced().getRequest().getSourceContext().getPeerIdentity();
      received.add(
          new Received(
              exchange.getRequestOptions().getUriPathString(),
              exchange.getQueryParameter("token"),
              peer == null ? null : peer.getName(),
              exchange.getRequestOptions().getContentFormat(),
              exchange.getRequestText()));
      exchange.respond(ResponseCode.CHANGED);
    }
  }

  private static final class CommandsResource extends CoapResource {

    private volatile String latest = "";

    CommandsResource() {
      super("commands");
      setObservable(true);
    }

    void push(String json) {
      latest = json;
      changed();
    }

    @Override
    public void handleGET(CoapExchange exchange) {
      exchange.respond(ResponseCode.CONTENT, latest, MediaTypeRegistry.APPLICATION_JSON);
    }
  }
}
