package io.aftercare.bridge;

/**
 * A complaint as staff record it (docs/complaints.md). Invalid values are refused naming the field.
 *
 * @param channel how it came in: the intake channels of reported cases
 * @param customerRef the complaining customer, a reference into the customer system; required when
 *     the complaint names no case, otherwise the case's customer by default
 * @param text what the customer complains about
 * @param ticketId the case it is about; {@code null} for a standalone complaint
 */
public record ComplaintFiling(String channel, String customerRef, String text, Long ticketId) {

  public static final int MAX_TEXT = 4000;
  private static final int MAX_REF = 200;

  public ComplaintFiling {
    if (channel == null || !ReportedCase.CHANNELS.contains(channel)) {
      throw new BridgeException(
          BridgeException.Kind.INVALID,
          "'channel' must be one of " + ReportedCase.CHANNELS.stream().sorted().toList());
    }
    text = DeskText.required(text, "text", MAX_TEXT);
    customerRef =
        ticketId == null
            ? DeskText.required(customerRef, "customerRef", MAX_REF)
            : DeskText.optional(customerRef, "customerRef", MAX_REF);
  }
}
