package io.aftercare.bridge;

/** Sends one outbox event to a helpdesk in that helpdesk's shape. */
public interface HelpdeskConnector {

  /** Names the endpoint in {@code helpdesk_endpoints} (410 disables it). */
  String name();

  /**
   * @param event the stored event, including its id, type and the ticket's external reference
   */
  DeliveryOutcome deliver(OutboxEvent event);
}
