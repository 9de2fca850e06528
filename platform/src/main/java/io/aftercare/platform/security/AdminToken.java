package io.aftercare.platform.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bootstrap admin's bearer token: the configured one, or one generated on first start and kept
 * in a file only the owner can read. The token itself is never logged.
 */
public final class AdminToken {

  private static final Logger LOG = LoggerFactory.getLogger(AdminToken.class);

  private AdminToken() {}

  public static String resolve(String configured, Path dataDir) {
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    Path file = dataDir.resolve("admin-token");
    try {
      if (!Files.exists(file)) {
        Files.createDirectories(dataDir);
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, SecretHash.newSecret() + "\n", StandardCharsets.UTF_8);
        LOG.info(
            "Generated a bootstrap admin token in {} (set AFTERCARE_ADMIN_TOKEN to choose one)",
            file.toAbsolutePath().normalize());
      } else {
        LOG.info("Bootstrap admin token read from {}", file.toAbsolutePath().normalize());
      }
      return Files.readString(file, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create " + file, e);
    }
  }
}
