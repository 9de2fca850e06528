package io.aftercare.bridge;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The diagnosis category of a ticket's fault: the hardware, the software, the installation or
 * environment, or the connection. Names as in the rule files and the database CHECK.
 */
public enum Category {
  DEVICE_FAULT,
  SOFTWARE,
  INSTALLATION_ENVIRONMENT,
  CONNECTIVITY;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Category fromWireName(String name) {
    for (Category category : values()) {
      if (category.wireName().equals(name)) {
        return category;
      }
    }
    throw new BridgeException(BridgeException.Kind.INVALID, "unknown category '" + name + "'");
  }
}
