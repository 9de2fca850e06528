package io.aftercare.platform.device;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The attributes a {@code PATCH} of a device changes, validated, as column and new value. A field
 * left out keeps its value; {@code null} clears {@code model}, {@code homeId}, {@code customerRef},
 * {@code region}, {@code hubId}, {@code soldOn} and {@code transport} (back to the fleet default).
 * {@code type} and {@code firmware} are not editable: the type is the device's nature, and the
 * firmware is what the device reports.
 */
public final class DeviceEdit {

  private static final int MAX_ATTRIBUTE = 128;
  private static final List<String> CUSTOMER_TIERS = List.of("standard", "premium", "vip");
  private static final Map<String, String> TEXT_COLUMNS =
      Map.of(
          "model",
          "model",
          "homeId",
          "home_id",
          "customerRef",
          "customer_ref",
          "region",
          "region",
          "hubId",
          "hub_id");

  private static final Set<String> PERSONAL = Set.of("homeId", "customerRef");
  private static final String NOT_LOGGED = "(personal data, not logged)";

  private final Map<String, Object> columns;
  private final Map<String, Object> fields;

  private DeviceEdit(Map<String, Object> columns, Map<String, Object> fields) {
    this.columns = Collections.unmodifiableMap(columns);
    this.fields = Collections.unmodifiableMap(fields);
  }

  /** Reads a JSON object of changes; 400 naming the field for anything unknown or invalid. */
  public static DeviceEdit parse(JsonNode body) {
    if (body == null || !body.isObject() || body.isEmpty()) {
      throw invalid("the body must be a JSON object with at least one field to change");
    }
    Map<String, Object> columns = new LinkedHashMap<>();
    Map<String, Object> fields = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : body.properties()) {
      String name = field.getKey();
      JsonNode value = field.getValue();
      Object parsed;
      if (TEXT_COLUMNS.containsKey(name)) {
        parsed = text(name, value);
        columns.put(TEXT_COLUMNS.get(name), parsed);
      } else if (name.equals("customerTier")) {
        if (!value.isTextual() || !CUSTOMER_TIERS.contains(value.asText())) {
          throw invalid("customerTier must be one of " + CUSTOMER_TIERS);
        }
        parsed = value.asText();
        columns.put("customer_tier", parsed);
      } else if (name.equals("soldOn")) {
        LocalDate soldOn = date(value);
        columns.put("sold_on", soldOn);
        parsed = soldOn == null ? null : soldOn.toString();
      } else if (name.equals("transport")) {
        parsed = transport(value);
        columns.put("transport", parsed);
      } else if (name.equals("serviceState")) {
        parsed =
            ServiceState.fromWireName(value.asText(""))
                .orElseThrow(
                    () -> invalid("serviceState must be active, maintenance or decommissioned"))
                .wireName();
        columns.put("service_state", parsed);
      } else {
        throw invalid("unknown field '" + name + "'");
      }
      // The audit log is kept for ever and in clear: it records that personal data changed, not
      // the data (docs/privacy.md).
      fields.put(name, parsed != null && PERSONAL.contains(name) ? NOT_LOGGED : parsed);
    }
    return new DeviceEdit(columns, fields);
  }

  /** Column name to new value, in the order given. */
  Map<String, Object> columns() {
    return columns;
  }

  /** The changes as the request named them, for the audit entry. */
  public Map<String, Object> fields() {
    return fields;
  }

  /** Whether the edit decommissions the device, which only an admin may do. */
  public boolean decommissions() {
    return ServiceState.DECOMMISSIONED.wireName().equals(columns.get("service_state"));
  }

  private static String text(String name, JsonNode value) {
    if (value.isNull()) {
      return null;
    }
    if (!value.isTextual()
        || value.asText().length() > MAX_ATTRIBUTE
        || value.asText().indexOf('\0') >= 0) {
      throw invalid(name + " must be a string of at most " + MAX_ATTRIBUTE + " characters");
    }
    return value.asText();
  }

  /** {@code null} returns the device to the fleet default. */
  private static String transport(JsonNode value) {
    if (value.isNull()) {
      return null;
    }
    return DeviceTransport.fromWireName(value.asText(""))
        .orElseThrow(() -> invalid("transport must be any, secure_only or null"))
        .wireName();
  }

  private static LocalDate date(JsonNode value) {
    if (value.isNull()) {
      return null;
    }
    try {
      return LocalDate.parse(value.asText(""));
    } catch (DateTimeParseException e) {
      throw invalid("soldOn must be a date, e.g. 2026-03-01");
    }
  }

  private static ServiceException invalid(String message) {
    return new ServiceException(Failure.INVALID_INPUT, message);
  }
}
