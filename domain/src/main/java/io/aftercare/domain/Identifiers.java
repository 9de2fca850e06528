package io.aftercare.domain;

import java.util.regex.Pattern;

/** The identifier grammar of the public contract, checked in one place for every channel. */
public final class Identifiers {

  private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern METRIC_NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

  private Identifiers() {}

  public static boolean isDeviceId(String candidate) {
    return candidate != null && DEVICE_ID.matcher(candidate).matches();
  }

  public static boolean isMetricName(String candidate) {
    return candidate != null && METRIC_NAME.matcher(candidate).matches();
  }
}
