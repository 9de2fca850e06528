package io.aftercare.bridge;

/** Checks of the free-text fields of incidents and complaints, refusing naming the field. */
final class DeskText {

  private DeskText() {}

  /** A required text of at most {@code max} characters, trimmed. */
  static String required(String value, String field, int max) {
    if (value == null || value.isBlank()) {
      throw new BridgeException(BridgeException.Kind.INVALID, "'" + field + "' is required");
    }
    return optional(value, field, max);
  }

  /** An optional text of at most {@code max} characters, trimmed; blank becomes {@code null}. */
  static String optional(String value, String field, int max) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String trimmed = value.strip();
    if (trimmed.length() > max) {
      throw new BridgeException(
          BridgeException.Kind.INVALID, "'" + field + "' is longer than " + max + " characters");
    }
    return trimmed;
  }
}
