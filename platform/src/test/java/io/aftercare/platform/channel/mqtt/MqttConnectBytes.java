package io.aftercare.platform.channel.mqtt;

/**
 * A CONNECT packet whose every field and flag a test can set, including to values the specification
 * forbids. Defaults: a valid CONNECT with user name and password, no Will.
 */
final class MqttConnectBytes {

  private int firstByte = 0x10;
  private String protocolName = "MQTT";
  private final int level;
  private final String clientId;
  private final String token;
  private boolean reservedFlag;
  private boolean will;
  private int willQos;
  private boolean willRetain;
  private String willTopic;
  private boolean username = true;
  private boolean password = true;
  private MqttBytes properties = MqttBytes.of();
  private MqttBytes willProperties = MqttBytes.of();
  private byte[] trailing = new byte[0];

  MqttConnectBytes(int level, String clientId, String token) {
    this.level = level;
    this.clientId = clientId;
    this.token = token;
  }

  MqttConnectBytes firstByte(int value) {
    firstByte = value;
    return this;
  }

  MqttConnectBytes protocolName(String value) {
    protocolName = value;
    return this;
  }

  MqttConnectBytes reservedFlag() {
    reservedFlag = true;
    return this;
  }

  /** Sets the Will flag with a valid topic and payload. */
  MqttConnectBytes will(int qos, boolean retain) {
    will = true;
    willTopic = "devices/" + clientId + "/status";
    return willQos(qos).willRetain(retain);
  }

  /** Sets the Will QoS bits, with or without the Will flag. */
  MqttConnectBytes willQos(int qos) {
    willQos = qos;
    return this;
  }

  MqttConnectBytes willRetain(boolean retain) {
    willRetain = retain;
    return this;
  }

  /** The Will topic, or null to end the packet where the Will topic should be. */
  MqttConnectBytes willTopic(String topic) {
    willTopic = topic;
    return this;
  }

  MqttConnectBytes noUsername() {
    username = false;
    return this;
  }

  MqttConnectBytes noPassword() {
    password = false;
    return this;
  }

  MqttConnectBytes properties(MqttBytes value) {
    properties = value;
    return this;
  }

  MqttConnectBytes willProperties(MqttBytes value) {
    willProperties = value;
    return this;
  }

  MqttConnectBytes trailing(byte[] bytes) {
    trailing = bytes;
    return this;
  }

  byte[] bytes() {
    int flags =
        (reservedFlag ? 0x01 : 0)
            | 0x02 // clean start
            | (will ? 0x04 : 0)
            | willQos << 3
            | (willRetain ? 0x20 : 0)
            | (password ? 0x40 : 0)
            | (username ? 0x80 : 0);
    MqttBytes body = MqttBytes.of().utf8(protocolName).u8(level, flags).u16(60);
    if (level == 5) {
      body.properties(properties);
    }
    body.utf8(clientId);
    if (will) {
      if (level == 5) {
        body.properties(willProperties);
      }
      if (willTopic != null) {
        body.utf8(willTopic).binary(new byte[] {'o', 'f', 'f'});
      }
    }
    if (username) {
      body.utf8(clientId);
    }
    if (password) {
      body.utf8(token);
    }
    return MqttBytes.packet(firstByte, body.raw(trailing));
  }
}
