package io.aftercare.platform.views;

import java.time.Instant;
import java.util.Map;

/**
 * A staff member's named filter of a console list.
 *
 * @param page the list: devices, alarms or tickets
 * @param query query parameters of the page's list route
 */
public record SavedView(
    long id, String name, String page, Map<String, String> query, Instant createdAt) {}
