package io.aftercare.platform.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A Server-Sent Events client over a real socket (the JDK's HTTP client reading the body line by
 * line), collecting events as a browser's EventSource would dispatch them.
 */
public final class SseClient implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One dispatched event: its name and its data parsed as JSON. */
  public record Event(String name, JsonNode data) {}

  private final HttpResponse<Stream<String>> response;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final List<Event> seen = new ArrayList<>();
  private final Thread reader;
  private volatile boolean ended;

  private SseClient(HttpResponse<Stream<String>> response) {
    this.response = response;
    this.reader = new Thread(this::read, "sse-client");
    this.reader.setDaemon(true);
    if (response.statusCode() == 200) {
      reader.start();
    }
  }

  /** Opens {@code url} with the headers (e.g. a bearer token or a cookie); returns at once. */
  public static SseClient open(String url, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .header("accept", "text/event-stream");
    headers.forEach(request::header);
    try {
      return new SseClient(
          TestHttp.CLIENT.send(request.GET().build(), HttpResponse.BodyHandlers.ofLines()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public int status() {
    return response.statusCode();
  }

  public String contentType() {
    return response.headers().firstValue("content-type").orElse("");
  }

  /** The first event not taken yet that matches, waiting up to 20 s; fails when none comes. */
  public Event next(Predicate<Event> matching) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      long left = deadline - System.nanoTime();
      Event event = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
      if (event == null) {
        throw new AssertionError("no matching event within 20 s; got " + seen());
      }
      if (matching.test(event)) {
        return event;
      }
    }
  }

  /** Every event received so far, taken or not. */
  public synchronized List<Event> seen() {
    return List.copyOf(seen);
  }

  /** Whether the server ended the stream (its connection closed). */
  public boolean ended() {
    return ended;
  }

  private void read() {
    String name = "message";
    StringBuilder data = new StringBuilder();
    try (Stream<String> lines = response.body()) {
      for (String line : (Iterable<String>) lines::iterator) {
        if (line.isEmpty()) {
          if (data.length() > 0) {
            dispatch(new Event(name, JSON.readTree(data.toString())));
          }
          name = "message";
          data.setLength(0);
        } else if (line.startsWith("event:")) {
          name = line.substring(6).trim();
        } else if (line.startsWith("data:")) {
          data.append(line.substring(5).trim());
        }
      }
    } catch (IOException | UncheckedIOException e) {
      // The connection closed: the stream has ended.
    } finally {
      ended = true;
    }
  }

  private synchronized void dispatch(Event event) {
    seen.add(event);
    events.add(event);
  }

  /** Closes the connection, as a browser does when the page goes away. */
  @Override
  public void close() {
    response.body().close();
  }
}
