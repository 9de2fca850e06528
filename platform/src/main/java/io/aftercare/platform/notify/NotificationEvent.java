package io.aftercare.platform.notify;

/**
 * An alarm or ticket event as the rules see it.
 *
 * @param kind {@code alarm.raised}, {@code alarm.escalated} or a ticket event type such as {@code
 *     ticket.opened}
 * @param subject what it is about: {@code alarm/<id>} or {@code ticket/<id>}
 */
record NotificationEvent(
    String kind,
    String subject,
    String severity,
    String category,
    String deviceType,
    String deviceId,
    String description) {

  String title() {
    return "[" + severity + "] " + kind + " " + subject + " on " + deviceId;
  }

  String body() {
    return title()
        + "\ndevice type: "
        + deviceType
        + "\ncategory: "
        + category
        + (description == null || description.isBlank() ? "" : "\n" + description);
  }
}
