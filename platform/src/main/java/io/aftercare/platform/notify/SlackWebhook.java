package io.aftercare.platform.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.bridge.OutboundAddressGuard;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * A Slack-compatible incoming webhook: one JSON {@code {"text": ...}} POST per message. The URL is
 * checked against the same SSRF guard as the helpdesk's before every send (DNS may change), and
 * redirects are not followed.
 */
final class SlackWebhook implements Channel {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final URI url;
  private final OutboundAddressGuard guard;
  private final HttpClient http;

  SlackWebhook(URI url, OutboundAddressGuard guard) {
    this.url = url;
    this.guard = guard;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  @Override
  public void send(String target, String title, String body) throws Exception {
    try {
      guard.check(url);
    } catch (OutboundAddressGuard.RefusedException e) {
      // The guard's message names the helpdesk's key; the operator must set this one.
      throw new Refused(
          e.getMessage()
              .replace("tickets.outboundAllowPrivate", "notifications.outboundAllowPrivate"),
          e);
    }
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("text", body))))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IOException("webhook answered HTTP " + response.statusCode());
    }
  }
}
