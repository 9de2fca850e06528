package io.aftercare.simulator.link;

import java.net.URI;

/** Opens the link a device's protocol asks for, towards the configured servers. */
public final class DeviceLinks {

  private final String mqttUri;
  private final URI coapUri;
  private final URI coapsUri;

  /**
   * @param mqttUri e.g. {@code tcp://127.0.0.1:1883}
   * @param coapUri e.g. {@code coap://127.0.0.1:5683}
   * @param coapsUri e.g. {@code coaps://127.0.0.1:5684}
   */
  public DeviceLinks(String mqttUri, URI coapUri, URI coapsUri) {
    this.mqttUri = mqttUri;
    this.coapUri = coapUri;
    this.coapsUri = coapsUri;
  }

  public DeviceLink open(Protocol protocol, String deviceId, DeviceSecrets secrets)
      throws LinkException {
    return switch (protocol) {
      case MQTT3 -> new PahoMqtt3Link(mqttUri, deviceId, secrets.token());
      case MQTT5 -> new PahoMqtt5Link(mqttUri, deviceId, secrets.token());
      case COAP -> new CoapLink(coapUri, deviceId, secrets.token());
      // The DTLS key, never the token: the token crosses plain channels, the DTLS key does not.
      case COAPS -> new CoapLink(coapsUri, deviceId, secrets.dtlsPsk());
    };
  }
}
