package io.aftercare.platform.channel.mqtt;

import io.aftercare.platform.channel.mqtt.MqttPropertyRules.Carrier;
import io.aftercare.platform.channel.mqtt.MqttViolation.Reason;
import java.util.Map;
import java.util.Set;

/**
 * Decides, packet by packet, whether what one client sends follows the MQTT 3.1.1 / 5.0 rules on
 * which the server must close the connection. It reads the raw packet (before vertx-mqtt decodes
 * it), so nothing the decoder would tolerate or drop gets past unchecked.
 *
 * <p>It also counts the client's unacknowledged QoS 1 and 2 publishes against the Receive Maximum
 * the server advertised (MQTT 5): the acknowledgements it sees leave through {@link #sent}.
 */
final class MqttConformance {

  static final int CONNECT = 1;
  static final int CONNACK = 2;
  static final int PUBLISH = 3;
  static final int PUBACK = 4;
  static final int PUBREC = 5;
  static final int PUBREL = 6;
  static final int PUBCOMP = 7;
  static final int SUBSCRIBE = 8;
  static final int SUBACK = 9;
  static final int UNSUBSCRIBE = 10;
  static final int UNSUBACK = 11;
  static final int PINGREQ = 12;
  static final int PINGRESP = 13;
  static final int DISCONNECT = 14;
  static final int AUTH = 15;

  /** Reason codes a client may put in PUBACK and PUBREC (MQTT 5 sections 3.4.2.1, 3.5.2.1). */
  private static final Set<Integer> PUBACK_CODES =
      Set.of(0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99);

  /** Reason codes of PUBREL and PUBCOMP (3.6.2.1, 3.7.2.1). */
  private static final Set<Integer> PUBREL_CODES = Set.of(0x00, 0x92);

  /** Reason codes a client may put in DISCONNECT (3.14.2.1). */
  private static final Set<Integer> CLIENT_DISCONNECT_CODES =
      Set.of(0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x90, 0x93, 0x94, 0x95, 0x96, 0x98, 0x99);

  private final int receiveMaximum;

  /** The protocol level from CONNECT (3 = 3.1, 4 = 3.1.1, 5 = 5.0); 0 until it is read. */
  private int protocolLevel;

  private boolean connectSeen;
  private boolean sessionExpiryZero = true;

  /** Packet identifiers of the client's QoS 1 and 2 publishes the server has not finished. */
  private final InFlightPacketIds inFlight;

  MqttConformance(int receiveMaximum) {
    this.receiveMaximum = receiveMaximum;
    this.inFlight = new InFlightPacketIds(receiveMaximum);
  }

  int protocolLevel() {
    return protocolLevel;
  }

  boolean mqtt5() {
    return protocolLevel == 5;
  }

  boolean connectSeen() {
    return connectSeen;
  }

  /**
   * Checks one whole packet: {@code firstByte} is its fixed header's first byte, {@code body} its
   * variable header and payload.
   */
  void check(int firstByte, MqttPacketReader body) throws MqttViolation {
    int type = firstByte >>> 4;
    int flags = firstByte & 0x0F;
    if (!connectSeen && type != CONNECT) {
      throw MqttViolation.protocolError("the first packet must be CONNECT");
    }
    switch (type) {
      case CONNECT -> connect(flags, body);
      case PUBLISH -> publish(flags, body);
      case PUBACK, PUBREC -> acknowledgement(type, flags, 0, body, PUBACK_CODES);
      case PUBREL -> acknowledgement(type, flags, 0b0010, body, PUBREL_CODES);
      case PUBCOMP -> acknowledgement(type, flags, 0, body, PUBREL_CODES);
      case SUBSCRIBE -> subscribe(flags, body);
      case UNSUBSCRIBE -> unsubscribe(flags, body);
      case PINGREQ -> empty(flags, body, "PINGREQ");
      case DISCONNECT -> disconnect(flags, body);
      case AUTH -> auth();
      case CONNACK, SUBACK, UNSUBACK, PINGRESP ->
          throw MqttViolation.protocolError("a client must not send packet type " + type);
      default -> throw MqttViolation.malformed("reserved packet type 0");
    }
  }

  /** Called for each acknowledgement the server sends, to end the publishes it completes. */
  void acknowledged(int type, int packetId, int reasonCode) {
    if (type == PUBACK || type == PUBCOMP || (type == PUBREC && reasonCode >= 0x80)) {
      inFlight.remove(packetId);
    }
  }

  // ---- CONNECT (3.1) ------------------------------------------------------------------------

  private void connect(int flags, MqttPacketReader body) throws MqttViolation {
    if (connectSeen) {
      throw MqttViolation.protocolError("second CONNECT [MQTT-3.1.0-2]");
    }
    connectSeen = true;
    String name = body.utf8();
    int level = body.u8();
    if (!(name.equals("MQTT") && (level == 4 || level == 5))
        && !(name.equals("MQIsdp") && level == 3)) {
      if (name.equals("MQTT") || name.equals("MQIsdp")) {
        throw new MqttViolation(
            Reason.UNSUPPORTED_PROTOCOL_VERSION, "protocol level " + level + " not supported");
      }
      throw MqttViolation.protocolError("unknown protocol name");
    }
    protocolLevel = level;
    // Checked once the version is known, so an MQTT 5 client is told why in CONNACK.
    reservedFlags(flags, 0, "CONNECT");
    int connectFlags = body.u8();
    boolean will = (connectFlags & 0x04) != 0;
    int willQos = (connectFlags >>> 3) & 0x03;
    boolean willRetain = (connectFlags & 0x20) != 0;
    boolean password = (connectFlags & 0x40) != 0;
    boolean username = (connectFlags & 0x80) != 0;
    if ((connectFlags & 0x01) != 0) {
      throw MqttViolation.malformed("CONNECT reserved flag set [MQTT-3.1.2-3]");
    }
    if (!will && (willQos != 0 || willRetain)) {
      throw MqttViolation.malformed("Will QoS or Will Retain without the Will flag");
    }
    if (willQos == 3) {
      throw MqttViolation.malformed("Will QoS 3 [MQTT-3.1.2-12]");
    }
    if (!mqtt5() && password && !username) {
      throw MqttViolation.malformed("password without user name [MQTT-3.1.2-22]");
    }
    body.u16(); // keep alive
    if (mqtt5()) {
      Map<Integer, Object> properties = MqttPropertyRules.read(body, Carrier.CONNECT);
      Object expiry = properties.get(MqttPropertyRules.SESSION_EXPIRY_INTERVAL);
      sessionExpiryZero = expiry == null || (Long) expiry == 0;
      if (properties.containsKey(MqttPropertyRules.AUTHENTICATION_DATA)
          && !properties.containsKey(MqttPropertyRules.AUTHENTICATION_METHOD)) {
        throw MqttViolation.protocolError("Authentication Data without Authentication Method");
      }
      if (properties.containsKey(MqttPropertyRules.AUTHENTICATION_METHOD)) {
        // Devices authenticate with user name and password; there is no enhanced authentication.
        throw new MqttViolation(
            Reason.BAD_AUTHENTICATION_METHOD, "enhanced authentication is not supported");
      }
    }
    body.utf8(); // client identifier; its content is checked where the device is authenticated
    if (will) {
      if (mqtt5()) {
        MqttPropertyRules.read(body, Carrier.WILL);
      }
      if (!MqttTopics.isValidName(body.utf8())) {
        throw new MqttViolation(Reason.TOPIC_NAME_INVALID, "Will Topic is not a topic name");
      }
      body.skipBinary(); // Will payload
      if (willRetain && mqtt5()) {
        throw new MqttViolation(
            Reason.RETAIN_NOT_SUPPORTED, "Will Retain, but Retain Available is 0");
      }
    }
    if (username) {
      body.utf8();
    }
    if (password) {
      body.skipBinary();
    }
    trailing(body, "CONNECT");
  }

  // ---- PUBLISH (3.3) ------------------------------------------------------------------------

  private void publish(int flags, MqttPacketReader body) throws MqttViolation {
    int qos = (flags >>> 1) & 0x03;
    boolean dup = (flags & 0x08) != 0;
    boolean retain = (flags & 0x01) != 0;
    if (qos == 3) {
      throw MqttViolation.malformed("PUBLISH with QoS 3 [MQTT-3.3.1-4]");
    }
    if (qos == 0 && dup) {
      throw MqttViolation.malformed("DUP set on a QoS 0 PUBLISH [MQTT-3.3.1-2]");
    }
    if (!body.skipTopicName()) {
      throw new MqttViolation(
          Reason.TOPIC_NAME_INVALID, "PUBLISH topic is empty or has a wildcard [MQTT-3.3.2-2]");
    }
    int packetId = qos > 0 ? packetId(body, "PUBLISH") : 0;
    if (mqtt5()) {
      MqttPropertyRules.read(body, Carrier.PUBLISH);
      if (retain) {
        // CONNACK says Retain Available 0 [MQTT-3.2.2-14].
        throw new MqttViolation(Reason.RETAIN_NOT_SUPPORTED, "RETAIN, but Retain Available is 0");
      }
      if (qos > 0 && !inFlight.add(packetId)) {
        // MQTT 5 resends only on reconnect [MQTT-4.4.0-1], so even with DUP this is no resend.
        throw MqttViolation.protocolError(
            "PUBLISH reuses the unacknowledged packet identifier " + packetId + " [MQTT-2.2.1-3]");
      }
      if (inFlight.size() > receiveMaximum) {
        throw new MqttViolation(
            Reason.RECEIVE_MAXIMUM_EXCEEDED,
            "more than " + receiveMaximum + " unacknowledged publishes [MQTT-3.3.4-9]");
      }
    }
  }

  // ---- PUBACK, PUBREC, PUBREL, PUBCOMP (3.4 to 3.7) -----------------------------------------

  private void acknowledgement(
      int type, int flags, int requiredFlags, MqttPacketReader body, Set<Integer> codes)
      throws MqttViolation {
    String name = packetName(type);
    reservedFlags(flags, requiredFlags, name);
    packetId(body, name);
    if (!mqtt5()) {
      trailing(body, name);
      return;
    }
    if (body.hasRemaining()) {
      int reasonCode = body.u8();
      if (!codes.contains(reasonCode)) {
        throw MqttViolation.protocolError(
            name + " reason code 0x" + Integer.toHexString(reasonCode) + " is not defined");
      }
    }
    if (body.hasRemaining()) {
      MqttPropertyRules.read(body, Carrier.valueOf(name));
    }
    trailing(body, name);
  }

  // ---- SUBSCRIBE, UNSUBSCRIBE (3.8, 3.10) ---------------------------------------------------

  private void subscribe(int flags, MqttPacketReader body) throws MqttViolation {
    reservedFlags(flags, 0b0010, "SUBSCRIBE");
    packetId(body, "SUBSCRIBE");
    if (mqtt5()) {
      MqttPropertyRules.read(body, Carrier.SUBSCRIBE);
    }
    if (!body.hasRemaining()) {
      throw MqttViolation.protocolError("SUBSCRIBE without a topic filter [MQTT-3.8.3-2]");
    }
    while (body.hasRemaining()) {
      String filter = body.utf8();
      int options = body.u8();
      if (filter.isEmpty()) {
        throw MqttViolation.malformed("empty topic filter [MQTT-4.7.3-1]");
      }
      if ((options & 0x03) == 3) {
        throw MqttViolation.malformed("subscription QoS 3 [MQTT-3-8.3-4]");
      }
      int reserved = mqtt5() ? 0xC0 : 0xFC;
      if ((options & reserved) != 0) {
        throw MqttViolation.malformed("subscription options reserved bits set [MQTT-3.8.3-5]");
      }
      if (mqtt5() && ((options >>> 4) & 0x03) == 3) {
        throw MqttViolation.protocolError("Retain Handling 3");
      }
      if (mqtt5() && (options & 0x04) != 0 && filter.startsWith("$share/")) {
        throw MqttViolation.protocolError("No Local on a shared subscription [MQTT-3.8.3-4]");
      }
      if (mqtt5() && filter.startsWith("$share/")) {
        // CONNACK says Shared Subscription Available 0 (3.2.2.3.15).
        throw new MqttViolation(
            Reason.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED, "shared subscription " + filter);
      }
      if (!MqttTopics.isValidFilter(filter)) {
        throw MqttViolation.malformed(
            "wildcard not alone in its level, or '#' not last, in topic filter "
                + filter
                + " [MQTT-4.7.1-1], [MQTT-4.7.1-2]");
      }
    }
  }

  private void unsubscribe(int flags, MqttPacketReader body) throws MqttViolation {
    reservedFlags(flags, 0b0010, "UNSUBSCRIBE");
    packetId(body, "UNSUBSCRIBE");
    if (mqtt5()) {
      MqttPropertyRules.read(body, Carrier.UNSUBSCRIBE);
    }
    if (!body.hasRemaining()) {
      throw MqttViolation.protocolError("UNSUBSCRIBE without a topic filter [MQTT-3.10.3-2]");
    }
    while (body.hasRemaining()) {
      if (body.utf8().isEmpty()) {
        throw MqttViolation.malformed("empty topic filter [MQTT-4.7.3-1]");
      }
    }
  }

  // ---- DISCONNECT, AUTH (3.14, 3.15) --------------------------------------------------------

  private void disconnect(int flags, MqttPacketReader body) throws MqttViolation {
    reservedFlags(flags, 0, "DISCONNECT");
    if (!mqtt5() || !body.hasRemaining()) {
      trailing(body, "DISCONNECT");
      return;
    }
    int reasonCode = body.u8();
    if (!CLIENT_DISCONNECT_CODES.contains(reasonCode)) {
      throw MqttViolation.protocolError(
          "DISCONNECT reason code 0x" + Integer.toHexString(reasonCode) + " is not a client's");
    }
    if (body.hasRemaining()) {
      Object expiry =
          MqttPropertyRules.read(body, Carrier.DISCONNECT)
              .get(MqttPropertyRules.SESSION_EXPIRY_INTERVAL);
      if (sessionExpiryZero && expiry != null && (Long) expiry != 0) {
        throw MqttViolation.protocolError(
            "Session Expiry Interval set in DISCONNECT after 0 in CONNECT [MQTT-3.14.2-2]");
      }
    }
    trailing(body, "DISCONNECT");
  }

  private void auth() throws MqttViolation {
    if (!mqtt5()) {
      throw MqttViolation.malformed("reserved packet type 15");
    }
    // CONNECT with an Authentication Method is refused, so no AUTH exchange can have begun.
    throw MqttViolation.protocolError("AUTH without enhanced authentication [MQTT-4.12.0-6]");
  }

  // ---- shared field rules -------------------------------------------------------------------

  private void empty(int flags, MqttPacketReader body, String name) throws MqttViolation {
    reservedFlags(flags, 0, name);
    trailing(body, name);
  }

  private static void reservedFlags(int flags, int required, String name) throws MqttViolation {
    if (flags != required) {
      throw MqttViolation.malformed(name + " fixed-header flags are wrong [MQTT-2.1.3-1]");
    }
  }

  private static int packetId(MqttPacketReader body, String name) throws MqttViolation {
    int packetId = body.u16();
    if (packetId == 0) {
      throw MqttViolation.protocolError(name + " with packet identifier 0 [MQTT-2.2.1-3]");
    }
    return packetId;
  }

  private static void trailing(MqttPacketReader body, String name) throws MqttViolation {
    if (body.hasRemaining()) {
      throw MqttViolation.malformed(name + " has " + body.remaining() + " bytes too many");
    }
  }

  private static String packetName(int type) {
    return switch (type) {
      case PUBACK -> "PUBACK";
      case PUBREC -> "PUBREC";
      case PUBREL -> "PUBREL";
      default -> "PUBCOMP";
    };
  }
}
