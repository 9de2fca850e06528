package io.aftercare.platform.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.elements.exception.ConnectorException;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.DtlsHandshakeTimeoutException;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;

/**
 * Real Eclipse Californium clients acting as devices: plain CoAP over UDP, or CoAP over DTLS with a
 * pre-shared key. Each device has its own endpoint (its own local port), closed with it.
 */
public final class CoapDevice implements AutoCloseable {

  public static final int JSON = 50;
  private static final long TIMEOUT_MS = 20_000;

  private final CoapEndpoint endpoint;
  private final String baseUri;

  private CoapDevice(CoapEndpoint endpoint, String baseUri) {
    this.endpoint = endpoint;
    this.baseUri = baseUri;
  }

  /** A device speaking plain CoAP to {@code coap://host:port}. */
  public static CoapDevice plain(String baseUri) {
    return new CoapDevice(
        CoapEndpoint.builder().setConfiguration(configuration()).build(), baseUri);
  }

  /**
   * A device speaking plain CoAP from another loopback address (e.g. {@code 127.0.0.7}), so that
   * what the server keeps per source address is this device's alone.
   */
  public static CoapDevice plainFrom(String baseUri, String localAddress) {
    return new CoapDevice(
        CoapEndpoint.builder()
            .setConfiguration(configuration())
            .setInetSocketAddress(new InetSocketAddress(localAddress, 0))
            .build(),
        baseUri);
  }

  /** A device speaking CoAP over DTLS to {@code coaps://host:port} with this PSK. */
  public static CoapDevice dtls(String baseUri, String identity, String key) {
    return dtls(baseUri, identity, key, List.of());
  }

  /**
   * Like {@link #dtls(String, String, String)}, offering only these cipher suites, in this order
   * (none: Californium's choice).
   */
  public static CoapDevice dtls(
      String baseUri, String identity, String key, List<CipherSuite> cipherSuites) {
    return dtls(baseUri, identity, key, cipherSuites, configuration());
  }

  /**
   * Like {@link #dtls(String, String, String)}, for a key the platform must refuse. A wrong key
   * gets no alert, only silence (the server cannot read the client's Finished), so this device
   * gives up its handshake after about 3.5 s (resending its flight after 0.5 and 1 s) rather than
   * waiting out the 20 s request time-out; a key wrongly accepted still gets its answer at once.
   */
  public static CoapDevice dtlsExpectingRefusal(String baseUri, String identity, String key) {
    Configuration configuration = configuration();
    configuration
        .set(DtlsConfig.DTLS_RETRANSMISSION_TIMEOUT, 500, TimeUnit.MILLISECONDS)
        .set(DtlsConfig.DTLS_MAX_RETRANSMISSIONS, 2);
    return dtls(baseUri, identity, key, List.of(), configuration);
  }

  private static CoapDevice dtls(
      String baseUri,
      String identity,
      String key,
      List<CipherSuite> cipherSuites,
      Configuration configuration) {
    configuration.set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.CLIENT_ONLY);
    if (!cipherSuites.isEmpty()) {
      configuration
          .set(DtlsConfig.DTLS_CIPHER_SUITES, cipherSuites)
          .set(DtlsConfig.DTLS_RECOMMENDED_CIPHER_SUITES_ONLY, false);
    }
    DtlsConnectorConfig dtls =
        DtlsConnectorConfig.builder(configuration)
            .setAddress(new InetSocketAddress("127.0.0.1", 0))
            .setAdvancedPskStore(
                new AdvancedSinglePskStore(identity, key.getBytes(StandardCharsets.UTF_8)))
            .build();
    return new CoapDevice(
        CoapEndpoint.builder()
            .setConfiguration(configuration)
            .setConnector(new DTLSConnector(dtls))
            .build(),
        baseUri);
  }

  private static Configuration configuration() {
    CoapConfig.register();
    UdpConfig.register();
    DtlsConfig.register();
    return Configuration.createStandardWithoutFile();
  }

  /** A client for {@code pathAndQuery}, e.g. {@code /devices/d1/telemetry?token=...}. */
  public CoapClient client(String pathAndQuery) {
    CoapClient client = new CoapClient(baseUri + pathAndQuery);
    client.setEndpoint(endpoint);
    client.setTimeout(TIMEOUT_MS);
    return client;
  }

  /** A confirmable POST; {@code null} if no answer came (e.g. a failed DTLS handshake). */
  public CoapResponse post(String pathAndQuery, String payload, int contentFormat)
      throws ConnectorException, IOException {
    CoapClient client = client(pathAndQuery);
    try {
      return client.post(payload, contentFormat);
    } finally {
      client.shutdown();
    }
  }

  public CoapResponse postJson(String pathAndQuery, String payload)
      throws ConnectorException, IOException {
    return post(pathAndQuery, payload, JSON);
  }

  /**
   * Asserts that a POST fails because the platform did not accept this device's DTLS key: the
   * handshake ends with the client's flight 5 (its proof of the key) never answered. For a device
   * made by {@link #dtlsExpectingRefusal}.
   */
  public void assertKeyRefused(String pathAndQuery, String payload) {
    assertThatThrownBy(() -> postJson(pathAndQuery, payload))
        .as("DTLS handshake refused")
        .hasRootCauseInstanceOf(DtlsHandshakeTimeoutException.class)
        .hasStackTraceContaining("flight 5");
  }

  @Override
  public void close() {
    endpoint.destroy();
  }
}
