package io.aftercare.bridge;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * The generic helpdesk webhook of docs/tickets.md: the event JSON, signed per Standard Webhooks
 * with the event id as {@code webhook-id} (the receiver's idempotency key).
 */
final class WebhookConnector implements HelpdeskConnector {

  private final URI url;
  private final WebhookSignature signature;
  private final HelpdeskHttp http;
  private final Clock clock;

  WebhookConnector(URI url, WebhookSignature signature, HelpdeskHttp http, Clock clock) {
    this.url = url;
    this.signature = signature;
    this.http = http;
    this.clock = clock;
  }

  @Override
  public String name() {
    return "webhook";
  }

  @Override
  public DeliveryOutcome deliver(OutboxEvent event) {
    byte[] body = event.payloadJson().getBytes(StandardCharsets.UTF_8);
    long timestamp = clock.instant().getEpochSecond();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url)
            .header("content-type", "application/json")
            .header("webhook-id", event.eventId())
            .header("webhook-timestamp", Long.toString(timestamp))
            .header("webhook-signature", signature.sign(event.eventId(), timestamp, body))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    HelpdeskHttp.Answer answer = http.send(request, url);
    return answer.failure() != null ? answer.failure() : new DeliveryOutcome.Delivered(null);
  }
}
