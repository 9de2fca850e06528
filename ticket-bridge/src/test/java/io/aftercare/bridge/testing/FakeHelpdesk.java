package io.aftercare.bridge.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP server standing in for the helpdesk: answers with scripted statuses (or not at all,
 * to make the caller time out), then with a default status, and records every request.
 */
public final class FakeHelpdesk implements AutoCloseable {

  /** A scripted "answer": hold the request without answering until the test ends. */
  public static final int NO_ANSWER = -1;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One request as received, and the status it was answered with. */
  public record Received(
      String method, String path, Map<String, String> headers, String body, int status) {
    public String header(String name) {
      return headers.get(name);
    }

    /** The body as JSON. */
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    /** The ticket id of a webhook event. */
    public long ticketId() {
      return json().path("ticket").path("id").asLong();
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Deque<Integer> script = new ConcurrentLinkedDeque<>();
  private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile int defaultStatus = 200;
  private volatile String responseBody = "{}";

  private FakeHelpdesk(HttpServer server) {
    this.server = server;
  }

  public static FakeHelpdesk start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      FakeHelpdesk helpdesk = new FakeHelpdesk(server);
      server.createContext("/", helpdesk::handle);
      server.setExecutor(helpdesk.executor);
      server.start();
      return helpdesk;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** The next answers, in order; afterwards the default status. */
  public void script(int... statuses) {
    for (int status : statuses) {
      script.add(status);
    }
  }

  public void answerAlways(int status) {
    defaultStatus = status;
  }

  public void respondWith(String json) {
    responseBody = json;
  }

  public List<Received> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  /** Requests answered with a 2xx. */
  public List<Received> accepted() {
    return received().stream().filter(r -> r.status() >= 200 && r.status() < 300).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    Map<String, String> headers = new TreeMap<>();
    exchange
        .getRequestHeaders()
        .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
    Integer scripted = script.poll();
    int status = scripted == null ? defaultStatus : scripted;
    received.add(
        new Received(
            exchange.getRequestMethod(),
            exchange.getRequestURI().toString(),
            headers,
            new String(body, StandardCharsets.UTF_8),
            status));
    if (status == NO_ANSWER) {
      try {
        release.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
      return;
    }
    byte[] answer = responseBody.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("content-type", "application/json");
    exchange.sendResponseHeaders(status, answer.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(answer);
    }
  }

  @Override
  public void close() {
    release.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
