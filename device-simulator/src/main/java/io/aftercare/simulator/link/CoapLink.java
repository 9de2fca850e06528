package io.aftercare.simulator.link;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapHandler;
import org.eclipse.californium.core.CoapObserveRelation;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.network.Endpoint;
import org.eclipse.californium.elements.exception.ConnectorException;

/**
 * A device on CoAP (token in the query) or CoAP over DTLS (PSK identity = device id, key = token),
 * with Californium. Requests are confirmable; the platform answers 2.04 Changed once the document
 * is durably stored. Commands arrive as notifications of an observed {@code GET
 * /devices/{id}/commands}.
 */
final class CoapLink implements DeviceLink {

  private final URI server;
  private final String deviceId;
  private final String token;
  private final boolean secure;
  private Endpoint endpoint;
  private CoapObserveRelation commands;

  CoapLink(URI server, String deviceId, String token) {
    this.server = server;
    this.deviceId = deviceId;
    this.token = token;
    this.secure = "coaps".equals(server.getScheme());
  }

  @Override
  public void connect(Consumer<byte[]> onCommand) throws LinkException {
    endpoint = secure ? CoapEndpoints.dtls(deviceId, token) : CoapEndpoints.plain();
    try {
      endpoint.start();
    } catch (IOException e) {
      throw new LinkException(deviceId + " cannot open a CoAP endpoint", e);
    }
    CoapClient observer = client(Channel.commandsAddress(deviceId));
    SeenCommands seen = new SeenCommands();
    commands =
        observer.observe(
            new CoapHandler() {
              @Override
              public void onLoad(CoapResponse response) {
                if (response.isSuccess() && response.getPayload().length > 0) {
                  Documents.commandsOf(response.getPayload()).stream()
                      .filter(seen::firstTime)
                      .forEach(onCommand);
                }
              }

              @Override
              public void onError() {
                // The observation is re-established on the next connect.
              }
            });
  }

  @Override
  public boolean isConnected() {
    return endpoint != null && endpoint.isStarted();
  }

  @Override
  public void send(Channel channel, byte[] json) throws LinkException {
    CoapClient client = client(channel.address(deviceId));
    try {
      CoapResponse response = client.post(json, MediaTypeRegistry.APPLICATION_JSON);
      if (response == null) {
        throw new LinkException(deviceId + " got no CoAP response");
      }
      if (response.getCode() != CoAP.ResponseCode.CHANGED) {
        throw new LinkException(
            deviceId + " CoAP " + response.getCode() + ": " + response.getResponseText());
      }
    } catch (ConnectorException | IOException e) {
      throw new LinkException(deviceId + " CoAP request failed: " + e.getMessage(), e);
    } finally {
      client.shutdown();
    }
  }

  private CoapClient client(String path) {
    String query = secure ? "" : "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    CoapClient client = new CoapClient(server.resolve("/" + path + query).toString());
    client.setEndpoint(endpoint);
    client.setTimeout(30_000L);
    return client;
  }

  @Override
  public void disconnect() {
    if (commands != null) {
      commands.proactiveCancel();
      commands = null;
    }
    if (endpoint != null) {
      endpoint.destroy();
      endpoint = null;
    }
  }

  @Override
  public void close() {
    disconnect();
  }
}
