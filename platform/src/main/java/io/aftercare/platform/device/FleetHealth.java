package io.aftercare.platform.device;

/**
 * A fleet-list row's health: the score {@code GET /devices/{id}} gives (computed by the database
 * from the same costs) and how many alarms are open.
 */
public record FleetHealth(int score, int openAlarms) {}
