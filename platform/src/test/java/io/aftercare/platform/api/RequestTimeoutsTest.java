package io.aftercare.platform.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.aftercare.platform.testing.FromAddress;
import io.aftercare.platform.testing.TestPlatform;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API server's header and body time-outs over raw sockets: a client trickling its headers
 * (slowloris) or its body is closed, while a client that sends whole requests keeps its keep-alive
 * connection. The only bound asserted is a generous "closed within 30 s".
 */
class RequestTimeoutsTest {

  private static TestPlatform platform;
  private static final ExecutorService TRICKLE = Executors.newCachedThreadPool();

  @BeforeAll
  static void start() {
    platform = TestPlatform.start(Map.of("http.headerTimeout", "1s", "http.bodyTimeout", "1s"));
  }

  @AfterAll
  static void stop() {
    TRICKLE.shutdownNow();
    if (platform != null) {
      platform.close();
    }
  }

  private static Socket connect() throws IOException {
    Socket socket = FromAddress.socket("127.0.0.1", platform.platform().httpPort());
    socket.setSoTimeout(30_000);
    return socket;
  }

  /** Writes {@code prefix}, then one more byte of {@code drip} every 200 ms, until it fails. */
  private static void trickle(Socket socket, String prefix, String drip) {
    TRICKLE.submit(
        () -> {
          try {
            OutputStream out = socket.getOutputStream();
            out.write(prefix.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            for (int i = 0; !socket.isClosed(); i++) {
              Thread.sleep(200);
              out.write(drip.charAt(i % drip.length()));
              out.flush();
            }
          } catch (IOException | InterruptedException stopped) {
            // The server closed the connection (the point of the test) or the test ended.
          }
          return null;
        });
  }

  /** Whether the server closed the connection: end of stream or a reset, not a read time-out. */
  private static boolean closedByServer(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    try {
      while (true) {
        int read = in.read();
        if (read < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (SocketException reset) {
      return true;
    }
  }

  @Test
  void aClientSendingItsHeadersSlowlyIsClosed() throws Exception {
    try (Socket socket = connect()) {
      trickle(socket, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ", "abcdefgh");

      assertThat(closedByServer(socket)).isTrue();
    }
  }

  @Test
  void aClientSendingItsBodySlowlyIsClosed() throws Exception {
    try (Socket socket = connect()) {
      trickle(
          socket,
          "POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\n"
              + "Content-Type: application/json\r\nContent-Length: 4096\r\n\r\n{\"token\":\"",
          "xxxxxxxx");

      assertThat(closedByServer(socket)).isTrue();
    }
  }

  @Test
  void aClientThatConnectsAndSendsNothingIsClosed() throws Exception {
    try (Socket socket = connect()) {
      assertThat(closedByServer(socket)).isTrue();
    }
  }

  @Test
  void wholeRequestsOnAKeepAliveConnectionAreAnswered() throws Exception {
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      for (int i = 0; i < 2; i++) {
        out.write(
            "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String head = readResponseHead(in);
        assertThat(head).startsWith("HTTP/1.1 200");
        skipBody(in, head);
      }
    }
  }

  private static String readResponseHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int read = in.read();
      if (read < 0) {
        throw new IOException("closed before the response head ended: " + head);
      }
      head.append((char) read);
    }
    return head.toString();
  }

  private static void skipBody(InputStream in, String head) throws IOException {
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        in.readNBytes(Integer.parseInt(line.substring("content-length:".length()).trim()));
      }
    }
  }
}
