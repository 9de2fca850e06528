package io.aftercare.platform.fleet.firmware;

import java.util.Comparator;

/**
 * Orders firmware versions as releases follow each other: dotted parts compared as numbers where
 * both are numbers (1.10 after 1.9), as text otherwise, and a pre-release (1.2.0-rc1) before its
 * release (1.2.0), as in semantic versioning. Build metadata after {@code +} orders as text last.
 */
public final class FirmwareVersionOrder implements Comparator<String> {

  public static final FirmwareVersionOrder INSTANCE = new FirmwareVersionOrder();

  private FirmwareVersionOrder() {}

  @Override
  public int compare(String a, String b) {
    String[] releaseA = a.split("-", 2);
    String[] releaseB = b.split("-", 2);
    int core = compareParts(releaseA[0], releaseB[0]);
    if (core != 0) {
      return core;
    }
    boolean preA = releaseA.length > 1;
    boolean preB = releaseB.length > 1;
    if (preA != preB) {
      return preA ? -1 : 1;
    }
    int pre = preA ? compareParts(releaseA[1], releaseB[1]) : 0;
    // Distinct spellings of one number (1.02 and 1.2) stay distinct versions, in text order.
    return pre != 0 ? pre : a.compareTo(b);
  }

  private static int compareParts(String a, String b) {
    String[] partsA = a.split("[.+]");
    String[] partsB = b.split("[.+]");
    for (int i = 0; i < Math.min(partsA.length, partsB.length); i++) {
      int part = comparePart(partsA[i], partsB[i]);
      if (part != 0) {
        return part;
      }
    }
    return Integer.compare(partsA.length, partsB.length);
  }

  private static int comparePart(String a, String b) {
    boolean numberA = !a.isEmpty() && a.chars().allMatch(Character::isDigit);
    boolean numberB = !b.isEmpty() && b.chars().allMatch(Character::isDigit);
    if (numberA && numberB) {
      String trimmedA = a.replaceFirst("^0+(?=.)", "");
      String trimmedB = b.replaceFirst("^0+(?=.)", "");
      return trimmedA.length() != trimmedB.length()
          ? Integer.compare(trimmedA.length(), trimmedB.length())
          : trimmedA.compareTo(trimmedB);
    }
    if (numberA != numberB) {
      return numberA ? -1 : 1; // numbers before words, as semantic versioning orders identifiers
    }
    return a.compareTo(b);
  }
}
