package io.aftercare.platform.privacy;

import io.aftercare.bridge.SealedField;
import io.aftercare.platform.bulk.PersonalFilters;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the platform's own tables keep values sealed at rest, as {@link
 * io.aftercare.bridge.FieldSealing} converts them: the devices' personal fields ({@link
 * SealedDeviceColumn}) with their blind index (V92, V93), the personal fleet filters saved with
 * bulk command batches (V99), and the original of each device log bundle (V107), which is only ever
 * written sealed but must follow a data key rotation.
 */
public final class PlatformSealedFields {

  private PlatformSealedFields() {}

  /** Every sealed field of the platform's own tables. */
  public static List<SealedField> fields() {
    List<SealedField> fields = new ArrayList<>();
    for (SealedDeviceColumn column : SealedDeviceColumn.values()) {
      fields.add(SealedField.indexedColumn("devices", "id", column.column(), column.indexColumn()));
    }
    for (String filter : PersonalFilters.KEYS) {
      fields.add(SealedField.jsonMember("bulk_commands", "id", "filter", filter, "true"));
    }
    fields.add(SealedField.column("log_bundles", "id", "original_sealed"));
    return fields;
  }
}
