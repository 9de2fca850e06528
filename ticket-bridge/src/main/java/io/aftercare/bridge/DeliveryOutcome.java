package io.aftercare.bridge;

import java.time.Duration;

/** What happened to one delivery attempt. */
public sealed interface DeliveryOutcome {

  /** A 2xx: delivered. {@code externalRef} is the helpdesk's key for the case, if it told one. */
  record Delivered(String externalRef) implements DeliveryOutcome {}

  /** A non-2xx answer or no answer in time: try again later. */
  record Retry(String reason, Duration retryAfter) implements DeliveryOutcome {}

  /** 410 Gone: the endpoint is disabled until staff re-drive. */
  record Gone(String reason) implements DeliveryOutcome {}

  /** Not attempted and never will be as configured (e.g. an internal address): dead at once. */
  record Refused(String reason) implements DeliveryOutcome {}
}
