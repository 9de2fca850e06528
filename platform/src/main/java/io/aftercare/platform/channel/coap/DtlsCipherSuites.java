package io.aftercare.platform.channel.coap;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;

/**
 * The DTLS cipher suites the CoAP door offers, most preferred first: the ECDHE-PSK suites, whose
 * ephemeral key exchange keeps past sessions secret even if the device's key leaks later, then,
 * only when {@code tls.dtlsPlainPsk} allows it, the plain PSK suites for devices too constrained
 * for elliptic curves. AEAD (GCM, CCM) before CBC; suites the running JVM cannot do are left out.
 */
final class DtlsCipherSuites {

  private static final List<CipherSuite> ECDHE_PSK =
      List.of(
          CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256,
          CipherSuite.TLS_ECDHE_PSK_WITH_AES_256_GCM_SHA378,
          CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256,
          CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_CCM_8_SHA256,
          CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256);

  private static final List<CipherSuite> PLAIN_PSK =
      List.of(
          CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256,
          CipherSuite.TLS_PSK_WITH_AES_128_CCM_8,
          CipherSuite.TLS_PSK_WITH_AES_128_CCM,
          CipherSuite.TLS_PSK_WITH_AES_128_CBC_SHA256);

  private DtlsCipherSuites() {}

  static List<CipherSuite> offered(boolean plainPsk) {
    List<CipherSuite> suites = new ArrayList<>(ECDHE_PSK);
    if (plainPsk) {
      suites.addAll(PLAIN_PSK);
    }
    suites.removeIf(suite -> !suite.isSupported());
    return suites;
  }
}
