package io.aftercare.platform.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client that stops reading is disconnected once its backlog passes the bound, instead of the
 * platform buffering for it without end; a client that reads is not.
 */
class SlowConsumerTest {

  private Vertx vertx;
  private SimpleMeterRegistry meters;
  private LiveHub hub;
  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    meters = new SimpleMeterRegistry();
    hub = new LiveHub(vertx, Clock.systemUTC(), meters);
    hub.start();
    server =
        vertx
            .createHttpServer(
                // A small kernel send buffer, so the backlog shows in the write queue soon.
                new HttpServerOptions().setHost("127.0.0.1").setPort(0).setSendBufferSize(4096))
            .requestHandler(request -> hub.open(request, "tester", null, null, null))
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

      InputStream in = reader.getInputStream();
      StringBuilder received = new StringBuilder();
      byte[] chunk = new byte[1024];
      while (!received.toString().contains("event: ticket")) {
        int read = in.read(chunk);
        assertThat(read).as("the stream stays open").isPositive();
        received.append(new String(chunk, 0, read, StandardCharsets.UTF_8));
      }
      assertThat(received.toString())
          .contains("text/event-stream")
          .contains("retry: 3000")
          .contains("data: {\"ticketId\":1,\"deviceId\":null,\"status\":\"open\"}");
      assertThat(open()).isEqualTo(1);
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
