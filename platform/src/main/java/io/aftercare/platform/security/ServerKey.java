package io.aftercare.platform.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server key that device tokens are derived from ({@link DeviceTokens}): the configured one, or
 * 32 random bytes generated on first start and kept in a file only the owner can read. The key is
 * never logged.
 */
public final class ServerKey {

  private static final Logger LOG = LoggerFactory.getLogger(ServerKey.class);
  private static final int KEY_BYTES = 32;

  private ServerKey() {}

  /**
   * @param configured base64 (standard or URL-safe) of at least 32 bytes, or blank
   */
  public static byte[] resolve(String configured, Path dataDir) {
    return resolve(configured, "security.serverKey", dataDir.resolve("server.key"), "device-token");
  }

  /**
   * The configured key, or the one kept in {@code file}, generated there owner-only on first use.
   * Shared with {@link DataKey}.
   *
   * @param configKey the config key named in errors
   * @param purpose what the key is for, named in the log line when one is generated
   */
  static byte[] resolve(String configured, String configKey, Path file, String purpose) {
    if (configured != null && !configured.isBlank()) {
      return decode(configured.trim(), configKey);
    }
    try {
      if (!Files.exists(file)) {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        Files.writeString(
            file, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.UTF_8);
        LOG.info(
            "Generated the {} key in {} (back it up with the database)",
            purpose,
            file.toAbsolutePath().normalize());
      }
      return decode(Files.readString(file, StandardCharsets.UTF_8).trim(), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create " + file, e);
    }
  }

  /** The key in {@code text} (base64, standard or URL-safe), named {@code source} in errors. */
  static byte[] decode(String text, String source) {
    byte[] key;
    try {
      key =
          text.indexOf('-') >= 0 || text.indexOf('_') >= 0
              ? Base64.getUrlDecoder().decode(text)
              : Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + " is not base64", e);
    }
    if (key.length < KEY_BYTES) {
      throw new IllegalArgumentException(source + " must hold at least 32 bytes");
    }
    return key;
  }
}
