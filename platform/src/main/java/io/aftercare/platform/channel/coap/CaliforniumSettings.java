package io.aftercare.platform.channel.coap;

import io.aftercare.platform.config.AftercareConfig;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.config.DtlsConfig;

/**
 * Californium's configuration, built in code from {@code aftercare.yaml}'s {@code coap} section.
 *
 * <p>Every limit that matters to a device is set here on purpose instead of being inherited from
 * Californium's defaults, and the configuration never comes from or goes to a {@code
 * Californium3.properties} file: Californium would otherwise create one in the working directory.
 */
final class CaliforniumSettings {

  /**
   * UDP datagrams read at most this many bytes. Above {@code maxMessageBytes} so that a slightly
   * oversized message is read whole and answered with 4.13 instead of arriving truncated.
   */
  private static final int DATAGRAM_BYTES = 2048;

  /**
   * Socket buffers of 4 MiB instead of the kernel's ~200 KiB default: under load, requests arrive
   * in bursts while the receiver thread is busy, and a datagram that finds the buffer full is
   * dropped silently, which the device sees only as a timeout and a retransmission 2 s later. (The
   * kernel caps this at net.core.rmem_max / wmem_max.)
   */
  private static final int SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;

  /**
   * With PEERS_MARK_AND_SWEEP, the newest exchanges of each peer kept for deduplication
   * (Californium's default, set explicitly). A device retransmits only its latest confirmable
   * requests; an older duplicate that got through would still be stored once, by the telemetry key.
   */
  private static final int MESSAGES_REMEMBERED_PER_PEER = 64;

  private CaliforniumSettings() {}

  static Configuration from(AftercareConfig.Coap coap, AftercareConfig.Tls tls) {
    CoapConfig.register();
    UdpConfig.register();
    DtlsConfig.register();
    Configuration configuration = Configuration.createStandardWithoutFile();
    configuration
        .set(CoapConfig.MAX_MESSAGE_SIZE, coap.maxMessageBytes())
        .set(CoapConfig.PREFERRED_BLOCK_SIZE, coap.blockSize())
        // Californium answers a Block1 transfer growing past this with 4.13 itself.
        .set(CoapConfig.MAX_RESOURCE_BODY_SIZE, coap.maxPayloadBytes())
        // An unfinished transfer's buffer is dropped this long after its latest block.
        .set(
            CoapConfig.BLOCKWISE_STATUS_LIFETIME,
            coap.blockwiseLifetime().toMillis(),
            TimeUnit.MILLISECONDS)
        .set(
            CoapConfig.EXCHANGE_LIFETIME, coap.exchangeLifetime().toMillis(), TimeUnit.MILLISECONDS)
        .set(CoapConfig.MAX_ACTIVE_PEERS, coap.maxPeers())
        .set(CoapConfig.DEDUPLICATOR, coap.deduplicator())
        .set(CoapConfig.PEERS_MARK_AND_SWEEP_MESSAGES, MESSAGES_REMEMBERED_PER_PEER)
        .set(UdpConfig.UDP_DATAGRAM_SIZE, DATAGRAM_BYTES)
        .set(UdpConfig.UDP_RECEIVE_BUFFER_SIZE, SOCKET_BUFFER_BYTES)
        .set(UdpConfig.UDP_SEND_BUFFER_SIZE, SOCKET_BUFFER_BYTES)
        .set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.SERVER_ONLY)
        .set(DtlsConfig.DTLS_MAX_CONNECTIONS, coap.maxPeers())
        .set(DtlsConfig.DTLS_CIPHER_SUITES, DtlsCipherSuites.offered(tls.dtlsPlainPsk()))
        // Scandium calls the CBC suites "not recommended"; they are kept, last of their kind, for
        // devices whose DTLS stack has ECDHE-PSK only with CBC (tinydtls).
        .set(DtlsConfig.DTLS_RECOMMENDED_CIPHER_SUITES_ONLY, false);
    return configuration;
  }
}
