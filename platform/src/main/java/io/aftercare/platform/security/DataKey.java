package io.aftercare.platform.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The key that seals sensitive personal data at rest ({@code io.aftercare.bridge.SealedText}): the
 * configured one ({@code security.dataKey}, {@code AFTERCARE_DATA_KEY}), or 32 random bytes
 * generated on first start into {@code <dataDir>/data.key}, readable by the owner only. It is kept
 * out of the database on purpose: a dump or backup of the database alone reveals no sealed value.
 * It is never logged.
 *
 * <p>Rotation: the key being rotated out is the previous key ({@code security.dataKeyPrevious},
 * {@code AFTERCARE_DATA_KEY_PREVIOUS}, or {@code <dataDir>/data.key.previous}); it is never
 * generated.
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

  /**
   * The previous data key: the configured one, or the one in {@code <dataDir>/data.key.previous};
   * {@code null} when neither exists.
   *
   * @param configured base64 (standard or URL-safe) of at least 32 bytes, or blank
   */
  public static byte[] resolvePrevious(String configured, Path dataDir) {
    if (configured != null && !configured.isBlank()) {
      return ServerKey.decode(configured.trim(), "security.dataKeyPrevious");
    }
    Path file = dataDir.resolve("data.key.previous");
    if (!Files.exists(file)) {
      return null;
    }
    try {
      return ServerKey.decode(
          Files.readString(file, StandardCharsets.UTF_8).trim(), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
