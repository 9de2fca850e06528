package io.aftercare.simulator.load;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A scripted MQTT 3.1.1 server for one client connection, on plain blocking sockets, so tests can
 * make the server misbehave in ways the real platform never does: refuse, stay silent, acknowledge
 * out of order, hang up.
 */
final class FakeBroker implements AutoCloseable {

  /** One MQTT packet as read from the wire. */
  record Packet(int type, byte[] body) {

    /** The packet id of a QoS 1 PUBLISH: the two bytes after the topic. */
    int packetId() {
      int topicLength = (body[0] & 0xff) << 8 | body[1] & 0xff;
      return (body[2 + topicLength] & 0xff) << 8 | body[3 + topicLength] & 0xff;
    }
  }

  static final int CONNECT = 1;
  static final int PUBLISH = 3;
  static final int DISCONNECT = 14;

  private final ServerSocket server;
  private final BlockingQueue<Packet> received = new LinkedBlockingQueue<>();
  private volatile Socket client;

  FakeBroker() throws IOException {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    Thread reader = new Thread(this::serve, "fake-broker");
    reader.setDaemon(true);
    reader.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** The next packet the client sent, waiting up to five seconds. */
  Packet next() throws InterruptedException {
    Packet packet = received.poll(5, TimeUnit.SECONDS);
    if (packet == null) {
      throw new AssertionError("the client sent nothing within 5 s");
    }
    return packet;
  }

  /** Waits for the next packet of {@code type}, skipping others (a PINGREQ, say). */
  Packet next(int type) throws InterruptedException {
    Packet packet;
    do {
      packet = next();
    } while (packet.type() != type);
    return packet;
  }

  /** True if the client sent nothing more within {@code millis}. */
  boolean silentFor(long millis) throws InterruptedException {
    return received.poll(millis, TimeUnit.MILLISECONDS) == null;
  }

  void connAck(int returnCode) throws IOException {
    send(0x20, 0, returnCode);
  }

  void pubAck(int packetId) throws IOException {
    send(0x40, packetId >> 8, packetId & 0xff);
  }

  /** Closes the client's connection, as a crashed or restarted server would. */
  void hangUp() throws IOException {
    client.close();
  }

  private void send(int header, int first, int second) throws IOException {
    OutputStream out = client.getOutputStream();
    out.write(new byte[] {(byte) header, 2, (byte) first, (byte) second});
    out.flush();
  }

  private void serve() {
    try {
      client = server.accept();
      DataInputStream in = new DataInputStream(client.getInputStream());
      while (true) {
        int header = in.readUnsignedByte();
        byte[] body = new byte[remainingLength(in)];
        in.readFully(body);
        received.add(new Packet(header >> 4, body));
      }
    } catch (IOException e) {
      // The client or the test hung up: nothing more to read.
    }
  }

  private static int remainingLength(DataInputStream in) throws IOException {
    int length = 0;
    int shift = 0;
    int digit;
    do {
      digit = in.readUnsignedByte();
      length |= (digit & 0x7f) << shift;
      shift += 7;
    } while ((digit & 0x80) != 0);
    return length;
  }

  @Override
  public void close() throws IOException {
    if (client != null) {
      client.close();
    }
    server.close();
  }
}
