package io.aftercare.platform.channel.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aftercare.platform.channel.mqtt.RawMqttConnection.Packet;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.TestPlatform;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The byte-level malformed-packet suite (promise 9): raw bytes over real TCP to a real platform,
 * asserting that every violation on which MQTT 3.1.1 / 5.0 requires the server to close the
 * connection closes it, after a CONNACK (bad CONNECT) or DISCONNECT with the right reason code on
 * MQTT 5. The cases come from tables: packet types a client can or must not send, the CONNECT flag
 * rules, and every MQTT 5 property in every packet a client sends it in (once, twice, out of range,
 * where it is not allowed). Meanwhile a well-behaved Paho device publishes at QoS 1 and must get
 * every PUBACK.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MqttMalformedPacketTest {

  private static final String DEVICE = "raw-1";
  private static final String TELEMETRY = "devices/" + DEVICE + "/telemetry";
  private static final int MAX_PACKET_BYTES = 4096;

  /** The default: Paho's MQTT 5 client miscounts its in-flight publishes against a small one. */
  private static final int RECEIVE_MAXIMUM = 64;

  private static final int MAX_SUBSCRIPTIONS = 4;
  private static final int MAX_CONNECTIONS_PER_SOURCE = 16;

  private static final int MALFORMED = 0x81;
  private static final int PROTOCOL_ERROR = 0x82;
  private static final int TOPIC_NAME_INVALID = 0x90;
  private static final int TOPIC_ALIAS_INVALID = 0x94;
  private static final int RETAIN_NOT_SUPPORTED = 0x9A;

  /** What the server must do: close, after sending this reason code on MQTT 5 (null: nothing). */
  private record Expected(Integer mqtt5Code) {}

  private TestPlatform platform;
  private String token;
  private final WellBehavedDevice goodDevice = new WellBehavedDevice();

  @BeforeAll
  void start() throws Exception {
    platform =
        TestPlatform.start(
            Map.of(
                "mqtt.maxPacketBytes", String.valueOf(MAX_PACKET_BYTES),
                "mqtt.receiveMaximum", String.valueOf(RECEIVE_MAXIMUM),
                "mqtt.maxSubscriptions", String.valueOf(MAX_SUBSCRIPTIONS),
                "mqtt.maxConnectionsPerSource", String.valueOf(MAX_CONNECTIONS_PER_SOURCE)));
    token = platform.api().provisionDevice(DEVICE, "fridge");
    goodDevice.start(platform, platform.api().provisionDevice("good-1", "fridge"));
  }

  @AfterAll
  void stop() {
    goodDevice.stop();
    if (platform != null) {
      platform.close();
    }
  }

  // ---- packets after a successful CONNECT -----------------------------------------------------

  /** Packets a connected client sends that break a rule; the same bytes for 3.1.1 and 5. */
  Stream<Arguments> violationsAfterConnect() {
    List<Arguments> cases = new ArrayList<>();
    for (int level : new int[] {4, 5}) {
      // Packets only a server sends.
      add(cases, level, "CONNACK", raw(0x20, 0, 0), PROTOCOL_ERROR);
      add(cases, level, "SUBACK", raw(0x90, 0, 1, 0), PROTOCOL_ERROR);
      add(cases, level, "UNSUBACK", raw(0xB0, 0, 1), PROTOCOL_ERROR);
      add(cases, level, "PINGRESP", raw(0xD0), PROTOCOL_ERROR);
      add(cases, level, "reserved type 0", raw(0x00), MALFORMED);
      add(cases, level, "second CONNECT", new MqttConnectBytes(level, DEVICE, token).bytes(), 0x82);
      // Fixed-header flags that must be 0000 (or 0010).
      for (int firstByte : new int[] {0x41, 0x58, 0x60, 0x74, 0x80, 0xA3, 0xC1, 0xE2}) {
        add(
            cases,
            level,
            "flags of 0x" + Integer.toHexString(firstByte),
            MqttBytes.packet(firstByte, MqttBytes.of().u16(1)),
            MALFORMED);
      }
      // PUBLISH
      add(cases, level, "PUBLISH QoS 3", publish(level, 0x36, TELEMETRY, 1), MALFORMED);
      add(cases, level, "PUBLISH DUP at QoS 0", publish(level, 0x38, TELEMETRY, 0), MALFORMED);
      add(cases, level, "PUBLISH topic with +", publish(level, 0x32, "devices/+/x", 1), 0x90);
      add(cases, level, "PUBLISH topic with #", publish(level, 0x30, "devices/#", 0), 0x90);
      add(cases, level, "PUBLISH empty topic", publish(level, 0x30, "", 0), TOPIC_NAME_INVALID);
      add(cases, level, "PUBLISH packet id 0", publish(level, 0x32, TELEMETRY, -1), 0x82);
      add(
          cases,
          level,
          "PUBLISH topic not UTF-8",
          MqttBytes.packet(0x30, MqttBytes.of().u16(2).u8(0xC3, 0x28).properties5(level)),
          MALFORMED);
      add(cases, level, "PUBLISH topic with U+0000", publish(level, 0x30, "a\u0000b", 0), 0x81);
      add(
          cases,
          level,
          "PUBLISH topic longer than the packet",
          MqttBytes.packet(0x30, MqttBytes.of().u16(200).u8('a')),
          MALFORMED);
      // PUBACK, PUBREC, PUBREL, PUBCOMP
      for (int firstByte : new int[] {0x40, 0x50, 0x62, 0x70}) {
        String name = ackName(firstByte);
        add(cases, level, name + " packet id 0", raw(firstByte, 0, 0), PROTOCOL_ERROR);
        add(cases, level, name + " too short", raw(firstByte, 0), MALFORMED);
      }
      // SUBSCRIBE
      add(cases, level, "SUBSCRIBE without filters", subscribe(level, 1), PROTOCOL_ERROR);
      add(cases, level, "SUBSCRIBE packet id 0", subscribe(level, 0, "devices/raw-1/x", 1), 0x82);
      add(cases, level, "SUBSCRIBE QoS 3", subscribe(level, 1, "devices/raw-1/x", 3), MALFORMED);
      add(
          cases,
          level,
          "SUBSCRIBE reserved option bits",
          subscribe(level, 1, "devices/raw-1/x", 0xC1),
          MALFORMED);
      add(cases, level, "SUBSCRIBE empty filter", subscribe(level, 1, "", 1), MALFORMED);
      // UNSUBSCRIBE
      add(cases, level, "UNSUBSCRIBE without filters", unsubscribe(level, 1), PROTOCOL_ERROR);
      add(cases, level, "UNSUBSCRIBE packet id 0", unsubscribe(level, 0, "a/b"), PROTOCOL_ERROR);
      add(cases, level, "UNSUBSCRIBE empty filter", unsubscribe(level, 1, ""), MALFORMED);
      // PINGREQ, DISCONNECT
      add(cases, level, "PINGREQ with a body", raw(0xC0, 0), MALFORMED);
      add(
          cases,
          level,
          "remaining length of 5 bytes",
          new byte[] {0x30, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1},
          MALFORMED);
      add(
          cases,
          level,
          "remaining length 0 in two bytes",
          new byte[] {(byte) 0xC0, (byte) 0x80, 0x00},
          MALFORMED);
      for (String filter : new String[] {"devices/raw-1/x#", "devices/raw-1/#/x", "devices/+x"}) {
        add(
            cases,
            level,
            "SUBSCRIBE misplaced wildcard " + filter,
            subscribe(level, 1, filter, 1),
            MALFORMED);
      }
      add(
          cases,
          level,
          "packet over Maximum Packet Size",
          MqttBytes.packet(
              0x30,
              MqttBytes.of().utf8(TELEMETRY).properties5(level).raw(new byte[MAX_PACKET_BYTES])),
          0x95);
    }
    // MQTT 3.1.1 only
    add(cases, 4, "AUTH (reserved in 3.1.1)", raw(0xF0), MALFORMED);
    add(cases, 4, "PUBACK with a reason code", raw(0x40, 0, 1, 0), MALFORMED);
    add(cases, 4, "DISCONNECT with a body", raw(0xE0, 0), MALFORMED);
    add(cases, 4, "SUBSCRIBE 5-only option bits", subscribe(4, 1, "devices/raw-1/x", 0x05), 0x81);
    // MQTT 5 only
    add(cases, 5, "AUTH without enhanced auth", raw(0xF0, 0x18, 0), PROTOCOL_ERROR);
    add(cases, 5, "PUBLISH with RETAIN", publish(5, 0x33, TELEMETRY, 1), RETAIN_NOT_SUPPORTED);
    add(cases, 5, "SUBSCRIBE Retain Handling 3", subscribe(5, 1, "devices/raw-1/x", 0x31), 0x82);
    add(
        cases,
        5,
        "SUBSCRIBE No Local on a shared subscription",
        subscribe(5, 1, "$share/g/devices/raw-1/x", 0x05),
        PROTOCOL_ERROR);
    add(
        cases,
        5,
        "SUBSCRIBE shared subscription (Shared Subscription Available 0)",
        subscribe(5, 1, "$share/g/devices/raw-1/x", 0x01),
        0x9E);
    add(
        cases,
        5,
        "PUBLISH property length 0 in two bytes",
        MqttBytes.packet(
            0x32, MqttBytes.of().utf8(TELEMETRY).raw(new byte[] {0, 1, (byte) 0x80, 0x00})),
        MALFORMED);
    for (int firstByte : new int[] {0x40, 0x50}) {
      for (int code : new int[] {0x01, 0x11, 0x92, 0xFF}) {
        add(cases, 5, ackName(firstByte) + " code " + code, raw(firstByte, 0, 1, code), 0x82);
      }
    }
    for (int firstByte : new int[] {0x62, 0x70}) {
      for (int code : new int[] {0x10, 0x80, 0x91}) {
        add(cases, 5, ackName(firstByte) + " code " + code, raw(firstByte, 0, 1, code), 0x82);
      }
    }
    for (int code : new int[] {0x01, 0x05, 0x8E, 0x89, 0x9C}) {
      add(cases, 5, "DISCONNECT code " + code, raw(0xE0, code), PROTOCOL_ERROR);
    }
    add(cases, 5, "property list longer than the packet", raw(0x40, 0, 1, 0, 9, 0x1F), MALFORMED);
    return cases.stream();
  }

  @ParameterizedTest(name = "MQTT {0}: {1}")
  @MethodSource("violationsAfterConnect")
  @Order(1)
  void violationAfterConnectClosesTheConnection(
      int level, String name, byte[] packet, Expected expected) throws Exception {
    try (RawMqttConnection connection = connect(level)) {
      List<Packet> answer = connection.send(packet).untilClosed();
      assertClosedWith(level, answer, 14, expected);
    }
  }

  // ---- CONNECT --------------------------------------------------------------------------------

  Stream<Arguments> badConnects() {
    List<Arguments> cases = new ArrayList<>();
    for (int level : new int[] {4, 5}) {
      add(cases, level, "reserved flag", connect5(level).reservedFlag(), MALFORMED);
      add(cases, level, "fixed-header flags", connect5(level).firstByte(0x12), MALFORMED);
      add(cases, level, "Will QoS 3", connect5(level).will(3, false), MALFORMED);
      add(cases, level, "Will QoS without Will", connect5(level).willQos(1), MALFORMED);
      add(cases, level, "Will Retain without Will", connect5(level).willRetain(true), 0x81);
      add(
          cases,
          level,
          "Will flag without Will topic",
          connect5(level).will(0, false).willTopic(null).noUsername().noPassword(),
          MALFORMED);
      add(
          cases,
          level,
          "Will topic with a wildcard",
          connect5(level).will(0, false).willTopic("devices/#"),
          TOPIC_NAME_INVALID);
      add(cases, level, "bytes after the payload", connect5(level).trailing(new byte[] {0}), 0x81);
    }
    add(cases, 4, "password without user name", connect5(4).noUsername(), null);
    add(cases, 5, "Will Retain (Retain Available 0)", connect5(5).will(1, true), 0x9A);
    add(
        cases,
        5,
        "Authentication Method",
        connect5(5).properties(MqttBytes.of().u8(0x15).utf8("SCRAM-SHA-1")),
        0x8C);
    return cases.stream();
  }

  @ParameterizedTest(name = "MQTT {0}: {1}")
  @MethodSource("badConnects")
  @Order(1)
  void badConnectIsRefused(int level, String name, MqttConnectBytes connect, Expected expected)
      throws Exception {
    try (RawMqttConnection connection = new RawMqttConnection(platform.mqttPort())) {
      List<Packet> answer = connection.send(connect.bytes()).untilClosed();
      assertClosedWith(level, answer, 2, expected);
    }
  }

  @Test
  @Order(1)
  void packetsBeforeConnectCloseTheConnectionUnanswered() throws Exception {
    for (byte[] first :
        List.of(publish(4, 0x30, TELEMETRY, 0), raw(0xC0), raw(0x82, 0, 1), raw(0xE0))) {
      try (RawMqttConnection connection = new RawMqttConnection(platform.mqttPort())) {
        assertThat(connection.send(first).untilClosed()).isEmpty();
      }
    }
  }

  @Test
  @Order(1)
  void unsupportedProtocolLevelGetsReturnCode1() throws Exception {
    for (int level : new int[] {2, 6}) {
      try (RawMqttConnection connection = new RawMqttConnection(platform.mqttPort())) {
        List<Packet> answer = connection.send(connect5(level).bytes()).untilClosed();
        assertThat(answer).singleElement().extracting(Packet::reasonCode).isEqualTo(0x01);
      }
    }
  }

  // ---- every MQTT 5 property in every packet a client sends -----------------------------------

  /** Where a client can put properties (AUTH is refused as a whole: no enhanced auth). */
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
    DISCONNECT
  }

  /**
   * An MQTT 5 property (section 2.2.2.2), a valid value and the packets a client may send it in.
   */
  record Property(int id, String name, byte[] valid, Set<Carrier> carriers) {
    MqttBytes once() {
      return MqttBytes.of().varInt(id).raw(valid);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static final List<Property> PROPERTIES = properties();

  private static List<Property> properties() {
    Set<Carrier> message = EnumSet.of(Carrier.PUBLISH, Carrier.WILL);
    Set<Carrier> none = EnumSet.noneOf(Carrier.class);
    byte[] one = {1};
    byte[] two = {0, 10};
    byte[] four = {0, 0, 0, 10};
    byte[] text = MqttBytes.of().utf8("text/plain").bytes();
    byte[] binary = MqttBytes.of().binary(new byte[] {1, 2}).bytes();
    Set<Carrier> reasonString =
        EnumSet.of(
            Carrier.PUBACK, Carrier.PUBREC, Carrier.PUBREL, Carrier.PUBCOMP, Carrier.DISCONNECT);
    return List.of(
        new Property(0x01, "Payload Format Indicator", one, message),
        new Property(0x02, "Message Expiry Interval", four, message),
        new Property(0x03, "Content Type", text, message),
        new Property(0x08, "Response Topic", text, message),
        new Property(0x09, "Correlation Data", binary, message),
        new Property(0x0B, "Subscription Identifier", one, EnumSet.of(Carrier.SUBSCRIBE)),
        new Property(
            0x11, "Session Expiry Interval", four, EnumSet.of(Carrier.CONNECT, Carrier.DISCONNECT)),
        new Property(0x12, "Assigned Client Identifier", text, none),
        new Property(0x13, "Server Keep Alive", two, none),
        new Property(0x15, "Authentication Method", text, EnumSet.of(Carrier.CONNECT)),
        new Property(0x16, "Authentication Data", binary, EnumSet.of(Carrier.CONNECT)),
        new Property(0x17, "Request Problem Information", one, EnumSet.of(Carrier.CONNECT)),
        new Property(0x18, "Will Delay Interval", four, EnumSet.of(Carrier.WILL)),
        new Property(0x19, "Request Response Information", one, EnumSet.of(Carrier.CONNECT)),
        new Property(0x1A, "Response Information", text, none),
        new Property(0x1C, "Server Reference", text, none),
        new Property(0x1F, "Reason String", text, reasonString),
        new Property(0x21, "Receive Maximum", two, EnumSet.of(Carrier.CONNECT)),
        new Property(0x22, "Topic Alias Maximum", two, EnumSet.of(Carrier.CONNECT)),
        new Property(0x23, "Topic Alias", two, EnumSet.of(Carrier.PUBLISH)),
        new Property(0x24, "Maximum QoS", one, none),
        new Property(0x25, "Retain Available", one, none),
        new Property(
            0x26,
            "User Property",
            MqttBytes.of().utf8("k").utf8("v").bytes(),
            EnumSet.allOf(Carrier.class)),
        new Property(
            0x27, "Maximum Packet Size", new byte[] {0, 0, 0x10, 0}, EnumSet.of(Carrier.CONNECT)),
        new Property(0x28, "Wildcard Subscription Available", one, none),
        new Property(0x29, "Subscription Identifier Available", one, none),
        new Property(0x2A, "Shared Subscription Available", one, none));
  }

  /** Every property in every carrier: where it is not allowed, a malformed packet. */
  Stream<Arguments> disallowedProperties() {
    return PROPERTIES.stream()
        .flatMap(
            property ->
                EnumSet.complementOf(EnumSet.copyOf(property.carriers())).stream()
                    .map(carrier -> Arguments.of(property, carrier)));
  }

  @ParameterizedTest(name = "{0} in {1}")
  @MethodSource("disallowedProperties")
  @Order(1)
  void propertyWhereItIsNotAllowedIsMalformed(Property property, Carrier carrier) throws Exception {
    assertRefused(carrier, property.once(), MALFORMED);
  }

  /** Every property in every carrier it is allowed in, twice: a protocol error. */
  Stream<Arguments> duplicatedProperties() {
    return PROPERTIES.stream()
        .filter(property -> property.id() != 0x26)
        .flatMap(
            property ->
                property.carriers().stream().map(carrier -> Arguments.of(property, carrier)));
  }

  @ParameterizedTest(name = "{0} twice in {1}")
  @MethodSource("duplicatedProperties")
  @Order(1)
  void duplicatedPropertyIsAProtocolError(Property property, Carrier carrier) throws Exception {
    MqttBytes twice = property.once().raw(property.once().bytes());
    // A Topic Alias is out of range already the first time: the server allows none.
    assertRefused(carrier, twice, property.id() == 0x23 ? TOPIC_ALIAS_INVALID : PROTOCOL_ERROR);
  }

  /** Unknown identifiers, in every carrier. */
  Stream<Arguments> unknownProperties() {
    return IntStream.of(0x00, 0x04, 0x14, 0x2B, 0x7F)
        .boxed()
        .flatMap(id -> Stream.of(Carrier.values()).map(carrier -> Arguments.of(id, carrier)));
  }

  @ParameterizedTest(name = "0x{0} in {1}")
  @MethodSource("unknownProperties")
  @Order(1)
  void unknownPropertyIsMalformed(int id, Carrier carrier) throws Exception {
    assertRefused(carrier, MqttBytes.of().varInt(id).u8(0), MALFORMED);
  }

  /** Values outside a property's range. */
  Stream<Arguments> outOfRange() {
    return Stream.of(
        Arguments.of("Payload Format Indicator 2", Carrier.PUBLISH, prop(0x01, 2), 0x82),
        Arguments.of("Payload Format Indicator 2", Carrier.WILL, prop(0x01, 2), 0x82),
        Arguments.of("Request Problem Information 2", Carrier.CONNECT, prop(0x17, 2), 0x82),
        Arguments.of("Request Response Information 2", Carrier.CONNECT, prop(0x19, 2), 0x82),
        Arguments.of("Receive Maximum 0", Carrier.CONNECT, prop(0x21, 0, 0), 0x82),
        Arguments.of("Maximum Packet Size 0", Carrier.CONNECT, prop(0x27, 0, 0, 0, 0), 0x82),
        Arguments.of("Subscription Identifier 0", Carrier.SUBSCRIBE, prop(0x0B, 0), 0x82),
        Arguments.of(
            "Subscription Identifier of 5 bytes",
            Carrier.SUBSCRIBE,
            prop(0x0B, 0x81, 0x81, 0x81, 0x81, 0x01),
            MALFORMED),
        Arguments.of("Topic Alias 0", Carrier.PUBLISH, prop(0x23, 0, 0), TOPIC_ALIAS_INVALID),
        Arguments.of("Topic Alias 1", Carrier.PUBLISH, prop(0x23, 0, 1), TOPIC_ALIAS_INVALID),
        Arguments.of(
            "Response Topic with a wildcard",
            Carrier.PUBLISH,
            MqttBytes.of().u8(0x08).utf8("a/+"),
            PROTOCOL_ERROR),
        Arguments.of(
            "Content Type not UTF-8", Carrier.PUBLISH, prop(0x03, 0, 2, 0xC3, 0x28), MALFORMED),
        Arguments.of("Reason String cut short", Carrier.PUBACK, prop(0x1F, 0, 9, 'a'), MALFORMED),
        Arguments.of(
            "Session Expiry in DISCONNECT after 0 in CONNECT",
            Carrier.DISCONNECT,
            prop(0x11, 0, 0, 0, 5),
            PROTOCOL_ERROR),
        Arguments.of(
            "Authentication Data without Method",
            Carrier.CONNECT,
            MqttBytes.of().u8(0x16).binary(new byte[] {1}),
            PROTOCOL_ERROR));
  }

  @ParameterizedTest(name = "{0} in {1}")
  @MethodSource("outOfRange")
  @Order(1)
  void propertyValueOutOfRangeIsRefused(String name, Carrier carrier, MqttBytes property, int code)
      throws Exception {
    assertRefused(carrier, property, code);
  }

  /** Every property once where it is allowed is accepted: the checks refuse nothing valid. */
  Stream<Arguments> allowedProperties() {
    return PROPERTIES.stream()
        .filter(property -> property.id() != 0x15 && property.id() != 0x16)
        .filter(property -> property.id() != 0x23)
        .flatMap(
            property ->
                property.carriers().stream()
                    // Session Expiry in DISCONNECT is refused after 0 in CONNECT (tested above).
                    .filter(carrier -> property.id() != 0x11 || carrier != Carrier.DISCONNECT)
                    .map(carrier -> Arguments.of(property, carrier)));
  }

  @ParameterizedTest(name = "{0} in {1}")
  @MethodSource("allowedProperties")
  @Order(1)
  void propertyWhereItIsAllowedIsAccepted(Property property, Carrier carrier) throws Exception {
    byte[] bytes = carrierBytes(carrier, property.once());
    try (RawMqttConnection connection = new RawMqttConnection(platform.mqttPort())) {
      if (carrier == Carrier.CONNECT || carrier == Carrier.WILL) {
        connection.send(bytes).connected();
      } else {
        connection.send(connect5(5).bytes()).connected().send(bytes);
      }
      if (carrier == Carrier.DISCONNECT) {
        assertThat(connection.untilClosed()).isEmpty();
        return;
      }
      connection.send(raw(0xC0));
      Packet packet;
      do {
        packet = connection.read();
        assertThat(packet).as("PINGRESP").isNotNull();
        assertThat(packet.type()).isNotEqualTo(14);
      } while (packet.type() != 13);
    }
  }

  // ---- limits ---------------------------------------------------------------------------------

  @Test
  @Order(1)
  void connackAdvertisesTheLimitsTheChecksEnforce() throws Exception {
    try (RawMqttConnection connection = new RawMqttConnection(platform.mqttPort())) {
      Packet connack = connection.send(connect5(5).bytes()).read();
      assertThat(connack.reasonCode()).isZero();
      Map<Integer, Integer> advertised = new HashMap<>();
      byte[] body = connack.body();
      // Flags, reason code, a one-byte property length (the list is short), then id/value
      // pairs: all of the server's CONNACK properties are one, two or four byte integers.
      for (int i = 3; i < body.length; ) {
        int id = body[i++] & 0xFF;
        int size =
            switch (id) {
              case 0x21, 0x22, 0x13 -> 2;
              case 0x27, 0x11 -> 4;
              default -> 1;
            };
        int value = 0;
        for (int b = 0; b < size; b++) {
          value = value << 8 | (body[i++] & 0xFF);
        }
        advertised.put(id, value);
      }
      assertThat(advertised)
          .containsEntry(0x27, MAX_PACKET_BYTES)
          .containsEntry(0x21, RECEIVE_MAXIMUM)
          .containsEntry(0x25, 0)
          .containsEntry(0x22, 0);
    }
  }

  @Test
  @Order(1)
  void moreUnacknowledgedPublishesThanReceiveMaximumIsDisconnected() throws Exception {
    MqttBytes burst = MqttBytes.of();
    for (int id = 1; id <= RECEIVE_MAXIMUM * 4; id++) {
      burst.raw(publish(5, 0x32, TELEMETRY, id));
    }
    try (RawMqttConnection connection = connect(5)) {
      List<Packet> answer = connection.send(burst.bytes()).untilClosed();
      // PUBACKs may come first; nothing may follow the DISCONNECT [MQTT-3.14.4-2].
      assertThat(answer).isNotEmpty();
      Packet last = answer.get(answer.size() - 1);
      assertThat(last.type()).isEqualTo(14);
      assertThat(last.reasonCode()).isEqualTo(0x93);
      assertThat(answer.subList(0, answer.size() - 1)).allMatch(packet -> packet.type() == 4);
    }
  }

  @ParameterizedTest(name = "QoS {0}, DUP {1}")
  @CsvSource({"1, false", "1, true", "2, false", "2, true"})
  @Order(1)
  void publishReusingAnUnacknowledgedPacketIdentifierIsAProtocolError(int qos, boolean dup)
      throws Exception {
    // MQTT 5 resends only after reconnecting [MQTT-4.4.0-1]; on the same connection an identifier
    // is unused again only once its PUBACK or PUBCOMP was sent [MQTT-2.2.1-3].
    int firstByte = 0x30 | qos << 1;
    byte[] both =
        MqttBytes.of()
            .raw(publish(5, firstByte, TELEMETRY, 7))
            .raw(publish(5, firstByte | (dup ? 0x08 : 0), TELEMETRY, 7))
            .bytes();
    try (RawMqttConnection connection = connect(5)) {
      List<Packet> answer = connection.send(both).untilClosed();
      Packet last = answer.get(answer.size() - 1);
      assertThat(last.type()).isEqualTo(14);
      assertThat(last.reasonCode()).isEqualTo(0x82);
      // The first publish may be answered before the second is read, never after the DISCONNECT.
      assertThat(answer.subList(0, answer.size() - 1))
          .allMatch(packet -> packet.type() == 4 || packet.type() == 5);
    }
  }

  @Test
  @Order(1)
  void packetIdentifierIsFreeAgainOnceAcknowledged() throws Exception {
    try (RawMqttConnection connection = connect(5)) {
      for (int round = 0; round < 3; round++) {
        Packet ack = connection.send(publish(5, 0x32, TELEMETRY, 7)).read();
        assertThat(ack.type()).isEqualTo(4);
        assertThat(((ack.body()[0] & 0xFF) << 8) | (ack.body()[1] & 0xFF)).isEqualTo(7);
        // Reason code 0 may be left out of an MQTT 5 PUBACK [MQTT-3.4.2.1].
        assertThat(ack.body().length == 2 || ack.body()[2] == 0).isTrue();
      }
    }
  }

  @Test
  @Order(1)
  void subscriptionsOverTheCapAreRefusedInSuback() throws Exception {
    for (int level : new int[] {4, 5}) {
      MqttBytes subscribe = MqttBytes.of().u16(7).properties5(level);
      for (int i = 0; i <= MAX_SUBSCRIPTIONS; i++) {
        subscribe.utf8("devices/" + DEVICE + "/commands/" + i).u8(1);
      }
      try (RawMqttConnection connection = connect(level)) {
        Packet suback = connection.send(MqttBytes.packet(0x82, subscribe)).read();
        assertThat(suback.type()).isEqualTo(9);
        byte[] codes = Arrays.copyOfRange(suback.body(), level == 5 ? 3 : 2, suback.body().length);
        byte[] expected = new byte[MAX_SUBSCRIPTIONS + 1];
        Arrays.fill(expected, (byte) 1);
        expected[MAX_SUBSCRIPTIONS] = (byte) (level == 5 ? 0x97 : 0x80);
        assertThat(codes).containsExactly(expected);
      }
    }
  }

  @Test
  @Order(2)
  void connectionsFromOneAddressOverTheCapAreRefused() throws Exception {
    List<RawMqttConnection> idle = new ArrayList<>();
    try {
      for (int i = 0; i < MAX_CONNECTIONS_PER_SOURCE; i++) {
        idle.add(new RawMqttConnection(platform.mqttPort()));
      }
      for (int level : new int[] {4, 5}) {
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> {
                  try (RawMqttConnection extra = new RawMqttConnection(platform.mqttPort())) {
                    List<Packet> answer = extra.send(connect5(level).bytes()).untilClosed();
                    return answer.size() == 1
                        && answer.get(0).reasonCode() == (level == 5 ? 0x9F : 0x03);
                  }
                });
      }
    } finally {
      for (RawMqttConnection connection : idle) {
        connection.close();
      }
    }
    // Once the sockets are gone, the address may connect again.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              try (RawMqttConnection connection = new RawMqttConnection(platform.mqttPort())) {
                connection.send(connect5(5).bytes()).connected();
              }
            });
  }

  // ---- the well-behaved device ----------------------------------------------------------------

  @Test
  @Order(3)
  void wellBehavedDeviceWasServedThroughout() throws Exception {
    int acked = goodDevice.stop();
    assertThat(goodDevice.failures).isEmpty();
    assertThat(acked).isPositive();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> platform.count("SELECT count(*) FROM telemetry WHERE device_id = 'good-1'"),
            rows -> rows == acked);
    assertThat(platform.metric("aftercare_mqtt_protocol_violations_total")).isPositive();
  }

  /** A Paho MQTT 5 device publishing at QoS 1, one message at a time, until stopped. */
  private static final class WellBehavedDevice {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger acked = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private Thread thread;

    void start(TestPlatform platform, String token) throws Exception {
      MqttAsyncClient client = PahoDevices.v5(platform.mqttUri(), "good-1", token);
      thread =
          new Thread(
              () -> {
                try {
                  for (int i = 0; running.get(); i++) {
                    String document =
                        "{\"ts\":\"2026-12-07T00:%02d:%02d.%03dZ\",\"metrics\":{\"fridge_temp_c\":4}}"
                            .formatted(i / 60_000 % 60, i / 1000 % 60, i % 1000);
                    IMqttToken ack =
                        client.publish(
                            "devices/good-1/telemetry",
                            document.getBytes(StandardCharsets.UTF_8),
                            1,
                            false);
                    ack.waitForCompletion(30_000);
                    int[] codes = ack.getReasonCodes();
                    if (ack.getException() != null || (codes != null && codes[0] != 0)) {
                      failures.add("publish " + i + ": " + ack.getException());
                      return;
                    }
                    acked.incrementAndGet();
                  }
                  client.disconnect().waitForCompletion(10_000);
                } catch (Exception e) {
                  failures.add(e.toString());
                }
              },
              "well-behaved-device");
      thread.start();
    }

    /** Stops publishing; returns how many publishes were acknowledged. */
    int stop() {
      running.set(false);
      if (thread != null) {
        try {
          thread.join(60_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return acked.get();
    }
  }

  // ---- building and checking --------------------------------------------------------------------

  private void assertRefused(Carrier carrier, MqttBytes properties, int code) throws Exception {
    byte[] bytes = carrierBytes(carrier, properties);
    if (carrier == Carrier.CONNECT || carrier == Carrier.WILL) {
      try (RawMqttConnection connection = new RawMqttConnection(platform.mqttPort())) {
        assertClosedWith(5, connection.send(bytes).untilClosed(), 2, new Expected(code));
      }
    } else {
      try (RawMqttConnection connection = connect(5)) {
        assertClosedWith(5, connection.send(bytes).untilClosed(), 14, new Expected(code));
      }
    }
  }

  /** The packet of {@code carrier} with {@code properties} as its (or its Will's) properties. */
  private byte[] carrierBytes(Carrier carrier, MqttBytes properties) {
    return switch (carrier) {
      case CONNECT -> connect5(5).properties(properties).bytes();
      case WILL -> connect5(5).will(1, false).willProperties(properties).bytes();
      case PUBLISH ->
          MqttBytes.packet(
              0x32,
              MqttBytes.of()
                  .utf8(TELEMETRY)
                  .u16(1)
                  .properties(properties)
                  .raw(document().getBytes(StandardCharsets.UTF_8)));
      case PUBACK -> MqttBytes.packet(0x40, MqttBytes.of().u16(1).u8(0).properties(properties));
      case PUBREC -> MqttBytes.packet(0x50, MqttBytes.of().u16(1).u8(0).properties(properties));
      case PUBREL -> MqttBytes.packet(0x62, MqttBytes.of().u16(1).u8(0).properties(properties));
      case PUBCOMP -> MqttBytes.packet(0x70, MqttBytes.of().u16(1).u8(0).properties(properties));
      case SUBSCRIBE ->
          MqttBytes.packet(
              0x82,
              MqttBytes.of().u16(1).properties(properties).utf8("devices/raw-1/commands").u8(1));
      case UNSUBSCRIBE ->
          MqttBytes.packet(
              0xA2, MqttBytes.of().u16(1).properties(properties).utf8("devices/raw-1/commands"));
      case DISCONNECT -> MqttBytes.packet(0xE0, MqttBytes.of().u8(0).properties(properties));
    };
  }

  private static void assertClosedWith(
      int level, List<Packet> answer, int packetType, Expected expected) {
    if (level == 5 && expected.mqtt5Code() != null) {
      assertThat(answer).as("answer before closing").hasSize(1);
      assertThat(answer.get(0).type()).as("packet type").isEqualTo(packetType);
      assertThat(answer.get(0).reasonCode())
          .as("reason code")
          .isEqualTo(expected.mqtt5Code().intValue());
    } else {
      // MQTT 3.1.1 has no reason codes for these: the connection is closed unanswered.
      assertThat(answer).as("answer before closing").isEmpty();
    }
  }

  private RawMqttConnection connect(int level) throws Exception {
    return new RawMqttConnection(platform.mqttPort()).send(connect5(level).bytes()).connected();
  }

  private MqttConnectBytes connect5(int level) {
    return new MqttConnectBytes(level, DEVICE, token);
  }

  private static void add(
      List<Arguments> cases, int level, String name, Object packet, Integer code) {
    cases.add(Arguments.of(level, name, packet, new Expected(code)));
  }

  private static byte[] raw(int firstByte, int... body) {
    MqttBytes bytes = MqttBytes.of();
    for (int value : body) {
      bytes.u8(value);
    }
    return MqttBytes.packet(firstByte, bytes);
  }

  private static MqttBytes prop(int id, int... value) {
    return MqttBytes.of().u8(id).u8(value);
  }

  /** A PUBLISH with a valid document; packet id -1 writes 0, 0 writes none (QoS 0). */
  private static byte[] publish(int level, int firstByte, String topic, int packetId) {
    MqttBytes body = MqttBytes.of().utf8(topic);
    if (packetId != 0) {
      body.u16(Math.max(packetId, 0));
    }
    return MqttBytes.packet(
        firstByte, body.properties5(level).raw(document().getBytes(StandardCharsets.UTF_8)));
  }

  private static byte[] subscribe(int level, int packetId, Object... filtersAndOptions) {
    MqttBytes body = MqttBytes.of().u16(packetId).properties5(level);
    for (int i = 0; i < filtersAndOptions.length; i += 2) {
      body.utf8((String) filtersAndOptions[i]).u8((Integer) filtersAndOptions[i + 1]);
    }
    return MqttBytes.packet(0x82, body);
  }

  private static byte[] unsubscribe(int level, int packetId, String... filters) {
    MqttBytes body = MqttBytes.of().u16(packetId).properties5(level);
    for (String filter : filters) {
      body.utf8(filter);
    }
    return MqttBytes.packet(0xA2, body);
  }

  private static String ackName(int firstByte) {
    return switch (firstByte >>> 4) {
      case 4 -> "PUBACK";
      case 5 -> "PUBREC";
      case 6 -> "PUBREL";
      default -> "PUBCOMP";
    };
  }

  private static String document() {
    return "{\"ts\":\"2026-12-07T01:00:00Z\",\"metrics\":{\"fridge_temp_c\":4.5}}";
  }
}
