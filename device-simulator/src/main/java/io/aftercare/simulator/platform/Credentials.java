package io.aftercare.simulator.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aftercare.simulator.link.DeviceSecrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Device tokens and DTLS keys by device id, kept in a JSON file so a later run reuses the devices
 * instead of provisioning new ones (the API shows them only once): {@code {"id": {"token": ...,
 * "dtlsKey": ...}}}. Files of earlier runs map an id to its token alone; such devices were
 * provisioned before DTLS keys existed and use their token as the DTLS PSK.
 */
public final class Credentials {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final Map<String, DeviceSecrets> secrets = new TreeMap<>();

  private Credentials(Path file) {
    this.file = file;
  }

  /** Loads {@code file} when it exists; {@code null} keeps the secrets in memory only. */
  public static Credentials open(Path file) {
    Credentials credentials = new Credentials(file);
    if (file != null && Files.exists(file)) {
      try {
        JSON.readTree(file.toFile())
            .properties()
            .forEach(entry -> credentials.secrets.put(entry.getKey(), read(entry.getValue())));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read credentials " + file, e);
      }
    }
    return credentials;
  }

  private static DeviceSecrets read(JsonNode entry) {
    if (entry.isTextual()) {
      return new DeviceSecrets(entry.asText(), null);
    }
    JsonNode dtlsKey = entry.get("dtlsKey");
    return new DeviceSecrets(
        entry.get("token").asText(), dtlsKey == null || dtlsKey.isNull() ? null : dtlsKey.asText());
  }

  public synchronized DeviceSecrets secrets(String deviceId) {
    return secrets.get(deviceId);
  }

  public synchronized void put(String deviceId, DeviceSecrets deviceSecrets) {
    secrets.put(deviceId, deviceSecrets);
  }

  /** Writes the file, owner-readable only where the file system allows it: it holds secrets. */
  public synchronized void save() {
    if (file == null) {
      return;
    }
    ObjectNode tree = JSON.createObjectNode();
    secrets.forEach(
        (id, s) -> tree.putObject(id).put("token", s.token()).put("dtlsKey", s.dtlsKey()));
    try {
      JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), tree);
      file.toFile().setReadable(false, false);
      file.toFile().setReadable(true, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write credentials " + file, e);
    }
  }
}
