package io.aftercare.bridge;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * What a ticket records about the device: type, model, firmware, the customer's reference and tier,
 * and the warranty status from the sale date. Read from the platform's {@code devices} table: the
 * one table of another module the bridge reads (no foreign key ties the schemas together).
 */
record DeviceFacts(
    String type,
    String model,
    String firmware,
    String customerRef,
    String customerTier,
    LocalDate soldOn) {

  static final DeviceFacts UNKNOWN = new DeviceFacts("unknown", null, null, null, "standard", null);

  static DeviceFacts read(Connection c, String deviceId, SealedText sealed) throws SQLException {
    return find(c, deviceId, sealed).orElse(UNKNOWN);
  }

  /**
   * The device's facts, its customer reference opened with {@code sealed} (the platform keeps it
   * sealed at rest); empty when no such device is registered.
   */
  static Optional<DeviceFacts> find(Connection c, String deviceId, SealedText sealed)
      throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT type, model, firmware, customer_ref, customer_tier, sold_on FROM devices"
                + " WHERE id = ?")) {
      select.setString(1, deviceId);
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new DeviceFacts(
                rs.getString("type"),
                rs.getString("model"),
                rs.getString("firmware"),
                sealed.open(rs.getString("customer_ref")),
                rs.getString("customer_tier"),
                rs.getObject("sold_on", LocalDate.class)));
      }
    }
  }

  /** The evidence section about the device, warranty judged on {@code now}'s date (UTC). */
  TicketEvidence.Device toEvidence(Instant now, int warrantyMonths) {
    return new TicketEvidence.Device(type, model, firmware, warranty(now, warrantyMonths));
  }

  private TicketEvidence.Warranty warranty(Instant now, int warrantyMonths) {
    if (soldOn == null) {
      return new TicketEvidence.Warranty("unknown", null, null);
    }
    LocalDate until = soldOn.plusMonths(warrantyMonths);
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    return new TicketEvidence.Warranty(
        today.isBefore(until) ? "in_warranty" : "out_of_warranty", soldOn, until);
  }
}
