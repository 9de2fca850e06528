package io.aftercare.platform.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;

/**
 * The HTTP client every test uses: HTTP/1.1, as curl and helpdesk tools speak it, and bounded waits
 * so that a server that never answers fails the test instead of stalling the build.
 */
public final class TestHttp {

  public static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  private TestHttp() {}

  /** A request to {@code uri} that gives up after 30 seconds without an answer. */
  public static HttpRequest.Builder request(URI uri) {
    return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
  }
}
