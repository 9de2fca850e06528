package io.aftercare.simulator.platform;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Device tokens by device id, kept in a JSON file so a later run reuses the devices instead of
 * provisioning new ones (the API shows a token only once).
 */
public final class Credentials {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final Map<String, String> tokens = new TreeMap<>();

  private Credentials(Path file) {
    this.file = file;
  }

  /** Loads {@code file} when it exists; {@code null} keeps the tokens in memory only. */
  public static Credentials open(Path file) {
    Credentials credentials = new Credentials(file);
    if (file != null && Files.exists(file)) {
      try {
        credentials.tokens.putAll(
            JSON.readValue(file.toFile(), new TypeReference<Map<String, String>>() {}));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read credentials " + file, e);
      }
    }
    return credentials;
  }

  public synchronized String token(String deviceId) {
    return tokens.get(deviceId);
  }

  public synchronized void put(String deviceId, String token) {
    tokens.put(deviceId, token);
  }

  /** Writes the file, owner-readable only where the file system allows it: it holds secrets. */
  public synchronized void save() {
    if (file == null) {
      return;
    }
    try {
      JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), tokens);
      file.toFile().setReadable(false, false);
      file.toFile().setReadable(true, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write credentials " + file, e);
    }
  }
}
