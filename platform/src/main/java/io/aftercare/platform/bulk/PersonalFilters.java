package io.aftercare.platform.bulk;

import io.aftercare.bridge.SealedText;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The fleet filters of a bulk command batch that name a person's data: {@code customer} (a customer
 * reference) and {@code home} (a home id). The batch keeps them sealed at rest like the devices'
 * own columns (docs/privacy.md, V99), shows them opened to staff, and its audit entry names them
 * without their values.
 */
public final class PersonalFilters {

  /** The filter keys whose values are personal data. */
  public static final List<String> KEYS = List.of("customer", "home");

  /** What the audit entry shows instead of a personal value. */
  static final String NOT_LOGGED = "(personal data, not logged)";

  private PersonalFilters() {}

  /** The filter as stored: personal values sealed. */
  static Map<String, String> sealed(Map<String, String> given, SealedText sealed) {
    return personal(given, sealed::seal);
  }

  /** The stored filter as staff read it: personal values opened. */
  static Map<String, String> opened(Map<String, String> stored, SealedText sealed) {
    return personal(stored, sealed::open);
  }

  /** The filter as the audit log records it: personal values replaced by {@link #NOT_LOGGED}. */
  static Map<String, String> masked(Map<String, String> given) {
    return personal(given, value -> NOT_LOGGED);
  }

  private static Map<String, String> personal(
      Map<String, String> filter, UnaryOperator<String> change) {
    Map<String, String> changed = new LinkedHashMap<>(filter);
    changed.replaceAll((key, value) -> KEYS.contains(key) ? change.apply(value) : value);
    return changed;
  }
}
