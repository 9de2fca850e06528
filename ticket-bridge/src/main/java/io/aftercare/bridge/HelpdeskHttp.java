package io.aftercare.bridge;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The HTTP part every connector shares: the SSRF check before each request, no redirects, a time
 * limit per request, and the mapping of answers to {@link DeliveryOutcome}s.
 */
final class HelpdeskHttp {

  /** A 2xx answer's body, or the outcome that is not a success. */
  record Answer(String body, DeliveryOutcome failure) {}

  private final HttpClient client;
  private final OutboundAddressGuard guard;
  private final Duration requestTimeout;
  private final Clock clock;

  HelpdeskHttp(OutboundAddressGuard guard, Duration requestTimeout, Clock clock) {
    this.guard = guard;
    this.requestTimeout = requestTimeout;
    this.clock = clock;
    this.client =
        HttpClient.newBuilder()
            // Helpdesks speak HTTP/1.1 (or HTTP/2 over TLS, negotiated by ALPN); a cleartext h2c
            // upgrade would only add a round of surprises with proxies in between.
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(requestTimeout)
            .build();
  }

  Answer send(HttpRequest.Builder request, URI uri) {
    try {
      guard.check(uri);
    } catch (OutboundAddressGuard.RefusedException e) {
      return new Answer(null, new DeliveryOutcome.Refused(e.getMessage()));
    }
    HttpResponse<String> response;
    try {
      response =
          client.send(
              request.timeout(requestTimeout).build(), HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      return new Answer(
          null, new DeliveryOutcome.Retry("no answer within " + requestTimeout, null));
    } catch (IOException e) {
      return new Answer(null, new DeliveryOutcome.Retry("connection failed: " + e, null));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(null, new DeliveryOutcome.Retry("interrupted", null));
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return new Answer(response.body(), null);
    }
    if (status == 410) {
      return new Answer(null, new DeliveryOutcome.Gone("the helpdesk answered 410 Gone"));
    }
    Duration retryAfter =
        response.headers().firstValue("retry-after").map(this::retryAfter).orElse(null);
    return new Answer(
        null, new DeliveryOutcome.Retry("the helpdesk answered " + status, retryAfter));
  }

  /** Retry-After as delay-seconds or an HTTP date; unreadable values are ignored. */
  private Duration retryAfter(String value) {
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration delay = Duration.between(clock.instant(), at.toInstant());
        return delay.isNegative() ? Duration.ZERO : delay;
      } catch (DateTimeParseException notADate) {
        return null;
      }
    }
  }
}
