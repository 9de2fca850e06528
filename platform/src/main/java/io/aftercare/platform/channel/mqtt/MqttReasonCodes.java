package io.aftercare.platform.channel.mqtt;

import io.aftercare.platform.error.Failure;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubRecReasonCode;

/** Maps protocol-neutral failures to MQTT codes, once, for both protocol versions. */
final class MqttReasonCodes {

  private MqttReasonCodes() {}

  static boolean isMqtt5(int protocolVersion) {
    return protocolVersion == MqttVersion.MQTT_5.protocolLevel();
  }

  /**
   * Whether a CONNECT asked for problem information: absent means yes (MQTT 5 3.1.2.11.7), and an
   * MQTT 3.1.1 CONNECT has no properties, while its acknowledgements carry none anyway.
   */
  static boolean problemInformationRequested(MqttProperties connectProperties) {
    if (connectProperties == null) {
      return true;
    }
    MqttProperties.MqttProperty<?> requested =
        connectProperties.getProperty(MqttProperties.REQUEST_PROBLEM_INFORMATION);
    return requested == null || !Integer.valueOf(0).equals(requested.value());
  }

  static MqttConnectReturnCode badCredentials(int protocolVersion) {
    return isMqtt5(protocolVersion)
        ? MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD
        : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED;
  }

  /** Right credentials, but the device may not connect (it is decommissioned). */
  static MqttConnectReturnCode notAuthorized(int protocolVersion) {
    return isMqtt5(protocolVersion)
        ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
        : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED;
  }

  static MqttConnectReturnCode badClientId(int protocolVersion) {
    return isMqtt5(protocolVersion)
        ? MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID
        : MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED;
  }

  /** The client's address is backing off after failed authentications. */
  static MqttConnectReturnCode banned(int protocolVersion) {
    return isMqtt5(protocolVersion)
        ? MqttConnectReturnCode.CONNECTION_REFUSED_BANNED
        : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED;
  }

  /** The database cannot take writes: come back later. */
  static MqttConnectReturnCode busy(int protocolVersion) {
    return isMqtt5(protocolVersion)
        ? MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_BUSY
        : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE;
  }

  static MqttPubAckReasonCode pubAck(Failure failure) {
    return switch (failure) {
      case INVALID_INPUT -> MqttPubAckReasonCode.PAYLOAD_FORMAT_INVALID;
      case FORBIDDEN, UNAUTHENTICATED -> MqttPubAckReasonCode.NOT_AUTHORIZED;
      // 0x89 Server busy is not valid in PUBACK; 0x97 tells the client to back off.
      case OVERLOADED, STORE_UNAVAILABLE -> MqttPubAckReasonCode.QUOTA_EXCEEDED;
      case NOT_FOUND, CONFLICT, INTERNAL -> MqttPubAckReasonCode.UNSPECIFIED_ERROR;
    };
  }

  static MqttPubRecReasonCode pubRec(Failure failure) {
    return switch (failure) {
      case INVALID_INPUT -> MqttPubRecReasonCode.PAYLOAD_FORMAT_INVALID;
      case FORBIDDEN, UNAUTHENTICATED -> MqttPubRecReasonCode.NOT_AUTHORIZED;
      case OVERLOADED, STORE_UNAVAILABLE -> MqttPubRecReasonCode.QUOTA_EXCEEDED;
      case NOT_FOUND, CONFLICT, INTERNAL -> MqttPubRecReasonCode.UNSPECIFIED_ERROR;
    };
  }
}
