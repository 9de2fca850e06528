package io.aftercare.platform.channel.mqtt;

import java.util.Locale;

/**
 * A client broke a rule of the MQTT specification on which the server must close the connection.
 * Thrown while checking a packet's bytes; the guard answers it and closes.
 */
final class MqttViolation extends Exception {

  private static final long serialVersionUID = 1L;

  /** The MQTT 5 reason code sent in CONNACK or DISCONNECT before closing. */
  enum Reason {
    MALFORMED_PACKET(0x81),
    PROTOCOL_ERROR(0x82),
    UNSUPPORTED_PROTOCOL_VERSION(0x84),
    BAD_AUTHENTICATION_METHOD(0x8C),
    TOPIC_NAME_INVALID(0x90),
    RECEIVE_MAXIMUM_EXCEEDED(0x93),
    TOPIC_ALIAS_INVALID(0x94),
    PACKET_TOO_LARGE(0x95),
    RETAIN_NOT_SUPPORTED(0x9A),
    SHARED_SUBSCRIPTIONS_NOT_SUPPORTED(0x9E);

    final int code;

    Reason(int code) {
      this.code = code;
    }

    /** The tag value in metrics, e.g. {@code malformed_packet}. */
    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Reason reason;

  MqttViolation(Reason reason, String detail) {
    // No stack trace: violations are expected input, counted and answered, never a bug here.
    super(detail, null, false, false);
    this.reason = reason;
  }

  static MqttViolation malformed(String detail) {
    return new MqttViolation(Reason.MALFORMED_PACKET, detail);
  }

  static MqttViolation protocolError(String detail) {
    return new MqttViolation(Reason.PROTOCOL_ERROR, detail);
  }

  Reason reason() {
    return reason;
  }
}
