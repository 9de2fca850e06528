package io.aftercare.bridge;

import java.time.Instant;

/**
 * One page of the ticket list: the filters by their wire names ({@code null} when not asked for),
 * the order, where the page starts and how many rows. Newest first starts at tickets older than
 * {@code beforeId} (the newest when {@code null}); by SLA urgency (open tickets only) it starts
 * after {@code afterSla} (the most urgent when {@code null}).
 */
public record TicketListQuery(
    String status,
    String priority,
    String deviceId,
    String assignee,
    String customerRef,
    String category,
    Long beforeId,
    int limit,
    Sort sort,
    SlaPosition afterSla) {

  /** The orders of the list. */
  public enum Sort {
    /** By id, newest first. */
    NEWEST,
    /**
     * Open tickets only, the earliest running SLA deadline first, tickets with no running clock
     * last, ties by id.
     */
    SLA
  }

  /**
   * A ticket's place in the SLA order.
   *
   * @param deadline its next deadline; {@code null} when no clock of it runs
   */
  public record SlaPosition(Instant deadline, long id) {}

  /** Newest first. */
  public TicketListQuery(
      String status,
      String priority,
      String deviceId,
      String assignee,
      String customerRef,
      String category,
      Long beforeId,
      int limit) {
    this(
        status,
        priority,
        deviceId,
        assignee,
        customerRef,
        category,
        beforeId,
        limit,
        Sort.NEWEST,
        null);
  }
}
