package io.aftercare.simulator.platform;

import io.aftercare.simulator.link.DeviceSecrets;
import java.util.Map;
import java.util.function.Function;

/** Gets a token and DTLS key for each device: from the credentials file, else from the REST API. */
public final class Provisioner {

  private final PlatformApi api;
  private final Credentials credentials;

  public Provisioner(PlatformApi api, Credentials credentials) {
    this.api = api;
    this.credentials = credentials;
  }

  /**
   * @param typeOf the device type sent to the API for a new device
   */
  public DeviceSecrets secretsFor(String deviceId, Function<String, String> typeOf) {
    return secretsFor(deviceId, typeOf, Map.of());
  }

  /**
   * @param attributes more device attributes for a new device, e.g. {@code homeId}, {@code
   *     customerRef}, {@code region} (docs/device-contract.md); a device already in the credentials
   *     file keeps those it was provisioned with
   */
  public DeviceSecrets secretsFor(
      String deviceId, Function<String, String> typeOf, Map<String, String> attributes) {
    DeviceSecrets known = credentials.secrets(deviceId);
    if (known != null) {
      return known;
    }
    DeviceSecrets secrets =
        api.provision(deviceId, typeOf.apply(deviceId), "sim-1", "2.4.1", attributes);
    credentials.put(deviceId, secrets);
    return secrets;
  }

  /**
   * The same for a device provisioned with its own model and firmware (a firmware trial's); reused
   * from the credentials file as it is.
   */
  public DeviceSecrets secretsFor(String deviceId, String type, String model, String firmware) {
    DeviceSecrets known = credentials.secrets(deviceId);
    if (known != null) {
      return known;
    }
    DeviceSecrets secrets = api.provision(deviceId, type, model, firmware, Map.of());
    credentials.put(deviceId, secrets);
    return secrets;
  }

  /** The device's token alone, for links that never use DTLS. */
  public String tokenFor(String deviceId, Function<String, String> typeOf) {
    return secretsFor(deviceId, typeOf).token();
  }

  public void save() {
    credentials.save();
  }
}
