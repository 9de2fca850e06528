package io.aftercare.platform.db;

import io.aftercare.platform.security.SecretHash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A generated password kept in a file only its owner can read (0600), created on first use. The
 * secret is never logged; backing up the data folder must include the file.
 */
final class OwnerOnlySecret {

  private OwnerOnlySecret() {}

  /** The secret in {@code file}, generated and written there first if the file is missing. */
  static String readOrCreate(Path file) {
    try {
      if (!Files.exists(file)) {
        Files.createDirectories(file.getParent());
        Path fresh =
            Files.createTempFile(
                file.getParent(),
                file.getFileName().toString(),
                ".new",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(fresh, SecretHash.newSecret() + "\n", StandardCharsets.UTF_8);
        // Atomic, so that a crash never leaves an empty secret behind.
        Files.move(fresh, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
      return Files.readString(file, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create " + file, e);
    }
  }
}
