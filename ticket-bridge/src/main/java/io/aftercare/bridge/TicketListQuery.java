package io.aftercare.bridge;

/**
 * One page of the ticket list, newest first: the filters by their wire names ({@code null} when not
 * asked for), where the page starts (tickets older than {@code beforeId}, or the newest when {@code
 * null}) and how many rows.
 */
public record TicketListQuery(
    String status,
    String priority,
    String deviceId,
    String assignee,
    String customerRef,
    String category,
    Long beforeId,
    int limit) {}
