package io.aftercare.bridge;

/**
 * A requested move of a ticket. {@code to} and {@code note} are the contract's fields; the others
 * are needed by some states.
 *
 * @param assignee who does the repair: required for {@code dispatched}
 * @param channel {@code remote} or {@code on_site}: required for {@code dispatched}
 * @param satisfaction the customer's score 1..5 as staff heard it: optional, only for {@code
 *     closed}; recorded with source {@code staff}
 */
public record TransitionRequest(
    String to, String note, String assignee, String channel, Integer satisfaction) {

  public static TransitionRequest to(TicketStatus status, String note) {
    return new TransitionRequest(status.wireName(), note, null, null, null);
  }
}
