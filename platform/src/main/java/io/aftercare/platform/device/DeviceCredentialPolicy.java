package io.aftercare.platform.device;

import io.aftercare.platform.config.AftercareConfig;
import io.aftercare.platform.config.ConfigException;

/**
 * The fleet-wide rules for device credentials ({@code tls} in aftercare.yaml).
 *
 * @param fleetTransport the transport policy of a device that has none of its own
 * @param legacyTokenPsk whether a device provisioned before DTLS keys existed may use its token as
 *     its DTLS PSK until its token is rotated
 */
public record DeviceCredentialPolicy(DeviceTransport fleetTransport, boolean legacyTokenPsk) {

  /**
   * @throws ConfigException when {@code tls.deviceTransport} names no policy
   */
  public static DeviceCredentialPolicy from(AftercareConfig.Tls tls) {
    return new DeviceCredentialPolicy(
        DeviceTransport.fromWireName(tls.deviceTransport())
            .orElseThrow(
                () -> new ConfigException("tls.deviceTransport must be any or secure_only", null)),
        tls.legacyTokenPsk());
  }
}
