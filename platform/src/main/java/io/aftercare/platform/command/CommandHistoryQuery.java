package io.aftercare.platform.command;

/**
 * One page of a device's commands, newest first: the filters ({@code null} when not asked for),
 * where the page starts (commands sent before the command {@code beforeId}, or the newest when
 * {@code null}) and how many rows.
 */
public record CommandHistoryQuery(
    String deviceId, String status, String name, String beforeId, int limit) {}
