package io.aftercare.platform.notify;

/**
 * An alarm or ticket event as the rules see it.
 *
 * @param kind {@code alarm.raised}, {@code alarm.escalated} or a ticket event type such as {@code
 *     ticket.opened}
 * @param ref the alarm or ticket: {@code alarm/<id>} or {@code ticket/<id>}
 * @param subject what repeats are recognised by: {@code device/<id>/rule/<rule>} for an alarm (the
 *     same fault raised again is the same subject), {@code ticket/<id>} for a ticket
 * @param region the device's service region, {@code null} when it has none or there is no device
 */
record NotificationEvent(
    String kind,
    String ref,
    String subject,
    String severity,
    String category,
    String deviceType,
    String region,
    String deviceId,
    String description) {

  /** One line: severity, event, what and where; a reported case may have no device yet. */
  String title() {
    return "["
        + severity
        + "] "
        + kind
        + " "
        + ref
        + (deviceId == null ? "" : " on " + deviceId)
        + (category == null ? "" : " (" + category + ")");
  }

  String body() {
    StringBuilder body = new StringBuilder(title());
    if (deviceType != null) {
      body.append("\ndevice type: ").append(deviceType);
    }
    if (region != null) {
      body.append("\nregion: ").append(region);
    }
    if (description != null && !description.isBlank()) {
      body.append('\n').append(description);
    }
    return body.toString();
  }
}
