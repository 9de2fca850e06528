package io.aftercare.simulator.link;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.network.Endpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;

/** Californium client endpoints: one UDP socket per device, as each real device has its own. */
public final class CoapEndpoints {

  static {
    // Californium needs its configuration modules registered before the first Configuration.
    CoapConfig.register();
    UdpConfig.register();
    DtlsConfig.register();
  }

  /**
   * 4 MiB socket buffers (the kernel caps them at net.core.rmem_max / wmem_max): a load test
   * receives responses in bursts, and a datagram that finds the buffer full is dropped silently,
   * costing a retransmission seconds later.
   */
  private static final int SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;

  private static final Configuration CONFIG =
      Configuration.createStandardWithoutFile()
          .set(UdpConfig.UDP_RECEIVE_BUFFER_SIZE, SOCKET_BUFFER_BYTES)
          .set(UdpConfig.UDP_SEND_BUFFER_SIZE, SOCKET_BUFFER_BYTES);

  private CoapEndpoints() {}

  public static Endpoint plain() {
    return CoapEndpoint.builder()
        .setConfiguration(CONFIG)
        .setInetSocketAddress(new InetSocketAddress(0))
        .build();
  }

  /** A DTLS client endpoint that authenticates with the device's pre-shared key. */
  public static Endpoint dtls(String deviceId, String token) {
    DtlsConnectorConfig dtls =
        DtlsConnectorConfig.builder(CONFIG)
            .set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.CLIENT_ONLY)
            .setAddress(new InetSocketAddress(0))
            .setAdvancedPskStore(
                new AdvancedSinglePskStore(deviceId, token.getBytes(StandardCharsets.UTF_8)))
            .build();
    return CoapEndpoint.builder()
        .setConfiguration(CONFIG)
        .setConnector(new DTLSConnector(dtls))
        .build();
  }
}
