package io.aftercare.platform.security;

import java.nio.file.Path;

/**
 * The key that seals sensitive personal data at rest ({@code io.aftercare.bridge.SealedText}): the
 * configured one ({@code security.dataKey}, {@code AFTERCARE_DATA_KEY}), or 32 random bytes
 * generated on first start into {@code <dataDir>/data.key}, readable by the owner only. It is kept
 * out of the database on purpose: a dump or backup of the database alone reveals no sealed value.
 * It is never logged.
 */
public final class DataKey {

  private DataKey() {}

  /**
   * @param configured base64 (standard or URL-safe) of at least 32 bytes, or blank
   */
  public static byte[] resolve(String configured, Path dataDir) {
    return ServerKey.resolve(
        configured, "security.dataKey", dataDir.resolve("data.key"), "personal-data");
  }
}
