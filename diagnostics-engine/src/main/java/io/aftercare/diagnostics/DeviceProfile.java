package io.aftercare.diagnostics;

import java.util.Map;
import java.util.Objects;

/**
 * What the engine knows about a device besides its data: rules select devices by type and may test
 * these attributes in CEL as {@code device.type}, {@code device.model}, {@code device.firmware} and
 * {@code device.id}.
 *
 * @param model {@code null} when unknown (seen by CEL as "")
 * @param firmware {@code null} when unknown (seen by CEL as "")
 */
public record DeviceProfile(String id, String type, String model, String firmware) {

  public DeviceProfile {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
  }

  /** The attributes as CEL sees them. */
  public Map<String, String> attributes() {
    return Map.of(
        "id",
        id,
        "type",
        type,
        "model",
        model == null ? "" : model,
        "firmware",
        firmware == null ? "" : firmware);
  }
}
