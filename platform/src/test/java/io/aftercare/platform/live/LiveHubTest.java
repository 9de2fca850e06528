package io.aftercare.platform.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aftercare.bridge.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hub over real sockets: a client that stops reading is disconnected once its backlog passes
 * the bound, instead of the platform buffering for it without end, while a client that reads is
 * not; every stream is pinged; a stream is closed when its session reaches its absolute end.
 */
class LiveHubTest {

  /** Short, so the heartbeat's work shows within a test. */
  private static final Duration HEARTBEAT = Duration.ofMillis(200);

  private static final Instant SESSION_END = Instant.parse("2026-12-07T08:00:00Z");

  private final MutableClock clock = new MutableClock(SESSION_END.minus(Duration.ofHours(1)));
  private Vertx vertx;
  private SimpleMeterRegistry meters;
  private LiveHub hub;
  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    meters = new SimpleMeterRegistry();
    hub = new LiveHub(vertx, clock, HEARTBEAT, meters);
    hub.start();
    server =
        vertx
            .createHttpServer(
                // A small kernel send buffer, so the backlog shows in the write queue soon.
                new HttpServerOptions().setHost("127.0.0.1").setPort(0).setSendBufferSize(4096))
            .requestHandler(request -> hub.open(request, "tester", 1L, SESSION_END, null))
            .listen()
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    hub.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private double open() {
    return meters.get("aftercare.sse.connections").gauge().value();
  }

  @Test
  void aClientThatStopsReadingIsDisconnectedOnceItsBacklogPassesTheBound() throws Exception {
    try (Socket stalled = connect()) {
      await().atMost(Duration.ofSeconds(10)).until(() -> open() == 1);
      assertThat(stalled.isConnected()).isTrue();
      String padding = "x".repeat(1000);

      // Several times the bound: more than kernel buffers and the write queue together hold.
      for (int i = 0; i < 4 * LiveStream.MAX_QUEUED_BYTES / 1000; i++) {
        hub.broadcast("alarm", "{\"pad\":\"" + padding + "\"}");
      }

      // The bound is checked at each send: the next event finds the queue full.
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                hub.broadcast("alarm", "{\"pad\":\"\"}");
                return open() == 0;
              });
    }
  }

  @Test
  void aClientThatReadsStaysConnected() throws Exception {
    try (Socket reader = connect()) {
      await().atMost(Duration.ofSeconds(10)).until(() -> open() == 1);

      hub.broadcast("ticket", "{\"ticketId\":1,\"deviceId\":null,\"status\":\"open\"}");

      String received = readUntil(reader, "event: ticket");
      assertThat(received)
          .contains("text/event-stream")
          .contains("retry: 3000")
          .contains("data: {\"ticketId\":1,\"deviceId\":null,\"status\":\"open\"}");
      assertThat(open()).isEqualTo(1);
    }
  }

  @Test
  void everyStreamIsPingedByTheOneHeartbeat() throws Exception {
    try (Socket first = connect();
        Socket second = connect()) {
      await().atMost(Duration.ofSeconds(10)).until(() -> open() == 2);

      assertThat(readUntil(first, ": ping")).contains("retry: 3000");
      readUntil(second, ": ping");
    }
  }

  @Test
  void aStreamIsClosedWhenItsSessionReachesItsAbsoluteEnd() throws Exception {
    try (Socket client = connect()) {
      await().atMost(Duration.ofSeconds(10)).until(() -> open() == 1);
      readUntil(client, ": ping");

      clock.advance(Duration.ofHours(1));

      await().atMost(Duration.ofSeconds(10)).until(() -> open() == 0);
      assertThat(readToEnd(client)).as("the server closed the connection").isTrue();
    }
  }

  /** What the client read up to and including {@code expected}. */
  private static String readUntil(Socket client, String expected) throws Exception {
    InputStream in = client.getInputStream();
    StringBuilder received = new StringBuilder();
    byte[] chunk = new byte[1024];
    while (!received.toString().contains(expected)) {
      int read = in.read(chunk);
      assertThat(read).as("the stream stays open until " + expected).isPositive();
      received.append(new String(chunk, 0, read, StandardCharsets.UTF_8));
    }
    return received.toString();
  }

  /** Reads until the server closes the connection; true when it did. */
  private static boolean readToEnd(Socket client) throws Exception {
    InputStream in = client.getInputStream();
    byte[] chunk = new byte[1024];
    try {
      while (in.read(chunk) >= 0) {
        // Pings sent before the close.
      }
      return true;
    } catch (SocketException reset) {
      return true;
    }
  }

  private Socket connect() throws Exception {
    Socket socket = new Socket();
    // A small receive window: what the client does not read stays on the server's side.
    socket.setReceiveBufferSize(4096);
    socket.setSoTimeout(20_000);
    socket.connect(new InetSocketAddress("127.0.0.1", server.actualPort()), 10_000);
    socket
        .getOutputStream()
        .write(
            "GET /live HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
    return socket;
  }
}
