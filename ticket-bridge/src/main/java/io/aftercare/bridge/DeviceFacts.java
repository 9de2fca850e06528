package io.aftercare.bridge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * What a ticket records about the device: type, model, firmware, the customer's reference and tier,
 * and the warranty status from the sale date. Read from the gateway's {@code devices} table.
 */
record DeviceFacts(
    String type,
    String model,
    String firmware,
    String customerRef,
    String customerTier,
    LocalDate soldOn) {

  private static final DeviceFacts UNKNOWN =
      new DeviceFacts("unknown", null, null, null, "standard", null);

  static DeviceFacts read(Connection c, String deviceId) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT type, model, firmware, customer_ref, customer_tier, sold_on FROM devices"
                + " WHERE id = ?")) {
      select.setString(1, deviceId);
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next()) {
          return UNKNOWN;
        }
        java.sql.Date soldOn = rs.getDate(6);
        return new DeviceFacts(
            rs.getString(1),
            rs.getString(2),
            rs.getString(3),
            rs.getString(4),
            rs.getString(5),
            soldOn == null ? null : soldOn.toLocalDate());
      }
    }
  }

  /** The evidence section about the device, warranty judged on {@code today} (UTC). */
  ObjectNode toEvidence(java.time.Instant now, int warrantyMonths) {
    ObjectNode device = BridgeJson.MAPPER.createObjectNode();
    device.put("type", type);
    device.put("model", model);
    device.put("firmware", firmware);
    ObjectNode warranty = device.putObject("warranty");
    if (soldOn == null) {
      warranty.put("status", "unknown");
    } else {
      LocalDate until = soldOn.plusMonths(warrantyMonths);
      LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
      warranty.put("soldOn", soldOn.toString());
      warranty.put("until", until.toString());
      warranty.put("status", today.isBefore(until) ? "in_warranty" : "out_of_warranty");
    }
    return device;
  }
}
