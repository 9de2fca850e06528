package io.aftercare.simulator.platform;

import java.util.function.Function;

/** Gets a token for each device: from the credentials file, else from the REST API. */
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
  public String tokenFor(String deviceId, Function<String, String> typeOf) {
    String known = credentials.token(deviceId);
    if (known != null) {
      return known;
    }
    String token = api.provision(deviceId, typeOf.apply(deviceId), "sim-1", "2.4.1");
    credentials.put(deviceId, token);
    return token;
  }

  public void save() {
    credentials.save();
  }
}
