package io.aftercare.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.HdrHistogram.Histogram;

/**
 * Times console queries one after another through the HTTP API, as one staff member's browser would
 * send them: a warm-up (left out), then the measured requests, each latency from sending the
 * request to having read the whole body, recorded in an HdrHistogram. Every answer must be a 200.
 */
final class QueryTimer {

  /** The latencies of one query, in microseconds, and what its last answer held. */
  record Result(TimedQuery query, Histogram micros, int requests, long items, long bytes) {

    double percentileMillis(double percentile) {
      return micros.getValueAtPercentile(percentile) / 1000.0;
    }

    double maxMillis() {
      return micros.getMaxValue() / 1000.0;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String baseUrl;
  private final String token;

  QueryTimer(String baseUrl, String token) {
    this.baseUrl = baseUrl;
    this.token = token;
  }

  Result time(TimedQuery query, int warmup, int requests) throws IOException, InterruptedException {
    for (int i = 0; i < warmup; i++) {
      send(query.path().apply(i));
    }
    Histogram histogram = new Histogram(60_000_000L, 3);
    HttpResponse<byte[]> last = null;
    for (int i = 0; i < requests; i++) {
      String path = query.path().apply(warmup + i);
      long started = System.nanoTime();
      last = send(path);
      histogram.recordValue(Math.max(1, (System.nanoTime() - started) / 1000));
    }
    return new Result(
        query, histogram, requests, items(last == null ? null : last.body()), bytes(last));
  }

  /** The JSON answer of one request, which must be a 200. */
  JsonNode get(String path) throws IOException, InterruptedException {
    return JSON.readTree(send(path).body());
  }

  private HttpResponse<byte[]> send(String path) throws IOException, InterruptedException {
    HttpResponse<byte[]> response =
        client.send(
            HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(60))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          path + " answered " + response.statusCode() + ": " + new String(response.body()));
    }
    return response;
  }

  private static long bytes(HttpResponse<byte[]> response) {
    return response == null ? 0 : response.body().length;
  }

  /** The length of the answer's first array (points, buckets, devices, alarms, tickets, days). */
  private static long items(byte[] body) throws IOException {
    if (body == null) {
      return 0;
    }
    JsonNode json = JSON.readTree(body);
    for (JsonNode field : json) {
      if (field.isArray()) {
        return field.size();
      }
    }
    return json.isArray() ? json.size() : 0;
  }
}
