package io.aftercare.bridge.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.bridge.SealedText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The helpdesk events of a ticket as the outbox holds them, opened with the data key: the outbox
 * keeps each payload sealed at rest (docs/privacy.md), so tests read what the helpdesk will receive
 * through this rather than with SQL on the payload.
 */
public final class OutboxEvents {

  private static final ObjectMapper JSON = new ObjectMapper();

  private OutboxEvents() {}

  /** The payloads of {@code ticketId}'s events of {@code type}, oldest first. */
  public static List<JsonNode> of(Connection c, SealedText sealed, long ticketId, String type) {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT payload #>> '{}' FROM ticket_outbox WHERE ticket_id = ? AND type = ?"
                + " ORDER BY id")) {
      select.setLong(1, ticketId);
      select.setString(2, type);
      List<JsonNode> events = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          events.add(JSON.readTree(sealed.open(rs.getString(1))));
        }
      }
      return events;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
