package io.aftercare.platform.channel.mqtt;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The MQTT 5 properties a client may send, in which packets, and the values allowed (section
 * 2.2.2.2 and each packet's property section). An unknown identifier, or one not valid for the
 * packet, is a malformed packet; a property given twice (other than User Property) or a value out
 * of its range is a protocol error.
 */
final class MqttPropertyRules {

  /** The places a client sends a property list. */
  enum Carrier {
    CONNECT,
    WILL,
    PUBLISH,
    PUBACK,
    PUBREC,
    PUBREL,
    PUBCOMP,
    SUBSCRIBE,
    UNSUBSCRIBE,
    DISCONNECT,
    AUTH
  }

  enum Type {
    BYTE,
    TWO_BYTE,
    FOUR_BYTE,
    VARIABLE,
    STRING,
    BINARY,
    STRING_PAIR
  }

  static final int PAYLOAD_FORMAT_INDICATOR = 0x01;
  static final int MESSAGE_EXPIRY_INTERVAL = 0x02;
  static final int CONTENT_TYPE = 0x03;
  static final int RESPONSE_TOPIC = 0x08;
  static final int CORRELATION_DATA = 0x09;
  static final int SUBSCRIPTION_IDENTIFIER = 0x0B;
  static final int SESSION_EXPIRY_INTERVAL = 0x11;
  static final int ASSIGNED_CLIENT_IDENTIFIER = 0x12;
  static final int SERVER_KEEP_ALIVE = 0x13;
  static final int AUTHENTICATION_METHOD = 0x15;
  static final int AUTHENTICATION_DATA = 0x16;
  static final int REQUEST_PROBLEM_INFORMATION = 0x17;
  static final int WILL_DELAY_INTERVAL = 0x18;
  static final int REQUEST_RESPONSE_INFORMATION = 0x19;
  static final int RESPONSE_INFORMATION = 0x1A;
  static final int SERVER_REFERENCE = 0x1C;
  static final int REASON_STRING = 0x1F;
  static final int RECEIVE_MAXIMUM = 0x21;
  static final int TOPIC_ALIAS_MAXIMUM = 0x22;
  static final int TOPIC_ALIAS = 0x23;
  static final int MAXIMUM_QOS = 0x24;
  static final int RETAIN_AVAILABLE = 0x25;
  static final int USER_PROPERTY = 0x26;
  static final int MAXIMUM_PACKET_SIZE = 0x27;
  static final int WILDCARD_SUBSCRIPTION_AVAILABLE = 0x28;
  static final int SUBSCRIPTION_IDENTIFIER_AVAILABLE = 0x29;
  static final int SHARED_SUBSCRIPTION_AVAILABLE = 0x2A;

  /** A property's wire type and the client packets it may appear in (empty: server-only). */
  record Rule(Type type, Set<Carrier> carriers) {}

  private static final Map<Integer, Rule> RULES = new HashMap<>();

  static {
    Set<Carrier> message = EnumSet.of(Carrier.PUBLISH, Carrier.WILL);
    Set<Carrier> serverOnly = EnumSet.noneOf(Carrier.class);
    RULES.put(PAYLOAD_FORMAT_INDICATOR, new Rule(Type.BYTE, message));
    RULES.put(MESSAGE_EXPIRY_INTERVAL, new Rule(Type.FOUR_BYTE, message));
    RULES.put(CONTENT_TYPE, new Rule(Type.STRING, message));
    RULES.put(RESPONSE_TOPIC, new Rule(Type.STRING, message));
    RULES.put(CORRELATION_DATA, new Rule(Type.BINARY, message));
    // A client's PUBLISH must not carry a Subscription Identifier [MQTT-3.3.4-6].
    RULES.put(SUBSCRIPTION_IDENTIFIER, new Rule(Type.VARIABLE, EnumSet.of(Carrier.SUBSCRIBE)));
    RULES.put(
        SESSION_EXPIRY_INTERVAL,
        new Rule(Type.FOUR_BYTE, EnumSet.of(Carrier.CONNECT, Carrier.DISCONNECT)));
    RULES.put(ASSIGNED_CLIENT_IDENTIFIER, new Rule(Type.STRING, serverOnly));
    RULES.put(SERVER_KEEP_ALIVE, new Rule(Type.TWO_BYTE, serverOnly));
    RULES.put(
        AUTHENTICATION_METHOD, new Rule(Type.STRING, EnumSet.of(Carrier.CONNECT, Carrier.AUTH)));
    RULES.put(
        AUTHENTICATION_DATA, new Rule(Type.BINARY, EnumSet.of(Carrier.CONNECT, Carrier.AUTH)));
    RULES.put(REQUEST_PROBLEM_INFORMATION, new Rule(Type.BYTE, EnumSet.of(Carrier.CONNECT)));
    RULES.put(WILL_DELAY_INTERVAL, new Rule(Type.FOUR_BYTE, EnumSet.of(Carrier.WILL)));
    RULES.put(REQUEST_RESPONSE_INFORMATION, new Rule(Type.BYTE, EnumSet.of(Carrier.CONNECT)));
    RULES.put(RESPONSE_INFORMATION, new Rule(Type.STRING, serverOnly));
    RULES.put(SERVER_REFERENCE, new Rule(Type.STRING, serverOnly));
    RULES.put(
        REASON_STRING,
        new Rule(
            Type.STRING,
            EnumSet.of(
                Carrier.PUBACK,
                Carrier.PUBREC,
                Carrier.PUBREL,
                Carrier.PUBCOMP,
                Carrier.DISCONNECT,
                Carrier.AUTH)));
    RULES.put(RECEIVE_MAXIMUM, new Rule(Type.TWO_BYTE, EnumSet.of(Carrier.CONNECT)));
    RULES.put(TOPIC_ALIAS_MAXIMUM, new Rule(Type.TWO_BYTE, EnumSet.of(Carrier.CONNECT)));
    RULES.put(TOPIC_ALIAS, new Rule(Type.TWO_BYTE, EnumSet.of(Carrier.PUBLISH)));
    RULES.put(MAXIMUM_QOS, new Rule(Type.BYTE, serverOnly));
    RULES.put(RETAIN_AVAILABLE, new Rule(Type.BYTE, serverOnly));
    RULES.put(USER_PROPERTY, new Rule(Type.STRING_PAIR, EnumSet.allOf(Carrier.class)));
    RULES.put(MAXIMUM_PACKET_SIZE, new Rule(Type.FOUR_BYTE, EnumSet.of(Carrier.CONNECT)));
    RULES.put(WILDCARD_SUBSCRIPTION_AVAILABLE, new Rule(Type.BYTE, serverOnly));
    RULES.put(SUBSCRIPTION_IDENTIFIER_AVAILABLE, new Rule(Type.BYTE, serverOnly));
    RULES.put(SHARED_SUBSCRIPTION_AVAILABLE, new Rule(Type.BYTE, serverOnly));
  }

  private MqttPropertyRules() {}

  /** The rule for {@code id}, or null for an identifier MQTT 5 does not define. */
  static Rule rule(int id) {
    return RULES.get(id);
  }

  /**
   * Reads and checks the property list at the reader's position (its length, then the properties),
   * returning the values the caller needs to check further: numbers as {@code Long}, strings as
   * {@code String}.
   */
  static Map<Integer, Object> read(MqttPacketReader packet, Carrier carrier) throws MqttViolation {
    MqttPacketReader properties = packet.take(packet.varInt());
    Map<Integer, Object> values = new HashMap<>();
    while (properties.hasRemaining()) {
      int id = properties.varInt();
      Rule rule = RULES.get(id);
      if (rule == null) {
        throw MqttViolation.malformed("unknown property 0x" + Integer.toHexString(id));
      }
      if (!rule.carriers().contains(carrier)) {
        throw MqttViolation.malformed(
            "property 0x" + Integer.toHexString(id) + " is not allowed in " + carrier);
      }
      Object value = readValue(properties, rule.type());
      if (id != USER_PROPERTY && values.put(id, value) != null) {
        throw MqttViolation.protocolError(
            "property 0x" + Integer.toHexString(id) + " included more than once");
      }
      checkRange(id, value);
    }
    return values;
  }

  private static Object readValue(MqttPacketReader properties, Type type) throws MqttViolation {
    return switch (type) {
      case BYTE -> (long) properties.u8();
      case TWO_BYTE -> (long) properties.u16();
      case FOUR_BYTE -> properties.u32();
      case VARIABLE -> (long) properties.varInt();
      case STRING -> properties.utf8();
      case BINARY -> {
        properties.skipBinary();
        yield "";
      }
      case STRING_PAIR -> properties.utf8() + "=" + properties.utf8();
    };
  }

  private static void checkRange(int id, Object value) throws MqttViolation {
    switch (id) {
      case PAYLOAD_FORMAT_INDICATOR, REQUEST_PROBLEM_INFORMATION, REQUEST_RESPONSE_INFORMATION -> {
        if ((Long) value > 1) {
          throw MqttViolation.protocolError(
              "property 0x" + Integer.toHexString(id) + " must be 0 or 1");
        }
      }
      case RECEIVE_MAXIMUM, MAXIMUM_PACKET_SIZE, SUBSCRIPTION_IDENTIFIER -> {
        if ((Long) value == 0) {
          throw MqttViolation.protocolError(
              "property 0x" + Integer.toHexString(id) + " must not be 0");
        }
      }
      case TOPIC_ALIAS ->
          // The server advertises Topic Alias Maximum 0: every alias is out of range.
          throw new MqttViolation(
              MqttViolation.Reason.TOPIC_ALIAS_INVALID, "topic aliases are not accepted");
      case RESPONSE_TOPIC -> {
        if (!MqttTopics.isValidName((String) value)) {
          throw MqttViolation.protocolError("response topic is not a valid topic name");
        }
      }
      default -> {
        // Any value of the type is allowed.
      }
    }
  }
}
