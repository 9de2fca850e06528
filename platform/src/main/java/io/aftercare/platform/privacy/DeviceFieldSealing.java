package io.aftercare.platform.privacy;

import io.aftercare.bridge.SealedField;
import java.util.Arrays;
import java.util.List;

/**
 * The devices' personal fields ({@link SealedDeviceColumn}) as {@link io.aftercare.bridge
 * .FieldSealing} converts them: sealed with their blind index (V92, V93).
 */
public final class DeviceFieldSealing {

  private DeviceFieldSealing() {}

  /** Every sealed field of the platform's own tables. */
  public static List<SealedField> fields() {
    return Arrays.stream(SealedDeviceColumn.values())
        .map(
            column ->
                SealedField.indexedColumn("devices", "id", column.column(), column.indexColumn()))
        .toList();
  }
}
