package io.aftercare.simulator.link;

/**
 * What the platform hands a device at provisioning: its token (MQTT password, plain CoAP's {@code
 * ?token=}) and its DTLS key (the PSK on CoAP over DTLS).
 *
 * @param dtlsKey {@code null} for a device provisioned before the platform issued DTLS keys: it
 *     still uses its token as the PSK
 */
public record DeviceSecrets(String token, String dtlsKey) {

  /** The PSK for CoAP over DTLS. */
  public String dtlsPsk() {
    return dtlsKey == null ? token : dtlsKey;
  }
}
