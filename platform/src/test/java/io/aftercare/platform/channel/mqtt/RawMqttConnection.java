package io.aftercare.platform.channel.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/** A TCP connection to the MQTT port that writes raw bytes and reads whole packets back. */
final class RawMqttConnection implements AutoCloseable {

  /** One packet the server sent. */
  record Packet(int firstByte, byte[] body) {
    int type() {
      return firstByte >>> 4;
    }

    /** The reason code of a CONNACK (both versions) or an MQTT 5 DISCONNECT; -1 if none. */
    int reasonCode() {
      return switch (type()) {
        case 2 -> body[1] & 0xFF;
        case 14 -> body.length == 0 ? 0 : body[0] & 0xFF;
        default -> -1;
      };
    }
  }

  private final Socket socket;
  private final InputStream in;

  RawMqttConnection(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    // Long enough for a CONNECT to be authenticated on a busy machine; a connection the server
    // leaves open fails the test when it runs out.
    socket.setSoTimeout(20_000);
    in = socket.getInputStream();
  }

  RawMqttConnection send(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
    return this;
  }

  /** The next packet, or null when the server has closed the connection. */
  Packet read() throws IOException {
    try {
      int first = in.read();
      if (first < 0) {
        return null;
      }
      int length = 0;
      for (int shift = 0; ; shift += 7) {
        int digit = in.read();
        if (digit < 0) {
          return null;
        }
        length |= (digit & 0x7F) << shift;
        if ((digit & 0x80) == 0) {
          break;
        }
      }
      byte[] body = in.readNBytes(length);
      return body.length < length ? null : new Packet(first, body);
    } catch (SocketTimeoutException e) {
      return fail("the server left the connection open");
    } catch (SocketException reset) {
      return null;
    }
  }

  /** Reads a successful CONNACK. */
  RawMqttConnection connected() throws IOException {
    Packet connack = read();
    assertThat(connack).as("CONNACK").isNotNull();
    assertThat(connack.type()).isEqualTo(2);
    assertThat(connack.reasonCode()).as("CONNACK code").isZero();
    return this;
  }

  /** Every packet until the server closes the connection; fails if it stays open. */
  List<Packet> untilClosed() throws IOException {
    List<Packet> packets = new ArrayList<>();
    for (Packet packet = read(); packet != null; packet = read()) {
      packets.add(packet);
    }
    return packets;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
