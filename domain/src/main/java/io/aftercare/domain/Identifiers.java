package io.aftercare.domain;

/**
 * The identifier grammar of the public contract, checked in one place for every channel.
 *
 * <p>Device id: {@code [A-Za-z0-9._-]{1,64}}. Metric name: {@code [a-z][a-z0-9_]{0,63}}. Checked by
 * hand rather than with a regular expression because every metric of every message passes here: a
 * {@code Matcher} per name was a visible share of the ingest profile.
 */
public final class Identifiers {

  private static final int MAX_LENGTH = 64;

  private Identifiers() {}

  public static boolean isDeviceId(String candidate) {
    if (candidate == null || candidate.isEmpty() || candidate.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < candidate.length(); i++) {
      char c = candidate.charAt(i);
      if (!(isLowerLetter(c)
          || isDigit(c)
          || (c >= 'A' && c <= 'Z')
          || c == '.'
          || c == '_'
          || c == '-')) {
        return false;
      }
    }
    return true;
  }

  public static boolean isMetricName(String candidate) {
    if (candidate == null
        || candidate.isEmpty()
        || candidate.length() > MAX_LENGTH
        || !isLowerLetter(candidate.charAt(0))) {
      return false;
    }
    for (int i = 1; i < candidate.length(); i++) {
      char c = candidate.charAt(i);
      if (!(isLowerLetter(c) || isDigit(c) || c == '_')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isLowerLetter(char c) {
    return c >= 'a' && c <= 'z';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
