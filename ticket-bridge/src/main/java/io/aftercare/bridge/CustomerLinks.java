package io.aftercare.bridge;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The customer's per-case link (docs/customer-api.md): a token {@code
 * v1.<ticketId>.<expiresAt>.<linkId>.<signature>}, the signature being HMAC-SHA256 under the
 * server's link key over everything before it. The token is never stored; the link id is, so that
 * staff can revoke a link. Every refusal - tampered, expired, revoked, unknown - gives the same
 * answer, so a caller learns nothing about which.
 */
public final class CustomerLinks {

  /** A link as issued: the token is shown once, to the staff member who asked for it. */
  public record Issued(String linkId, String token, Instant expiresAt) {}

  /** The case a valid token opens. */
  record Verified(long ticketId, String linkId, Instant expiresAt) {}

  private static final String VERSION = "v1";
  private static final int MAX_TOKEN = 256;
  private static final int MIN_KEY_BYTES = 32;
  private static final String REFUSED = "this link is not valid";

  private final byte[] key;
  private final SecureRandom random = new SecureRandom();

  private CustomerLinks(byte[] key) {
    this.key = key;
  }

  /** The signer under a base64 (standard or URL-safe) key of at least 32 bytes. */
  static CustomerLinks withKey(String base64Key) {
    if (base64Key == null || base64Key.isBlank()) {
      throw new IllegalArgumentException("tickets.customerCare.linkSecret is required");
    }
    String text = base64Key.trim();
    byte[] key;
    try {
      key =
          text.indexOf('-') >= 0 || text.indexOf('_') >= 0
              ? Base64.getUrlDecoder().decode(text)
              : Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("tickets.customerCare.linkSecret is not base64", e);
    }
    if (key.length < MIN_KEY_BYTES) {
      throw new IllegalArgumentException(
          "tickets.customerCare.linkSecret must hold at least 32 bytes");
    }
    return new CustomerLinks(key);
  }

  Issued issue(Connection c, long ticketId, Duration validFor, String actor, Instant now)
      throws SQLException {
    Ticket ticket = TicketStore.lock(c, ticketId);
    if (ticket.status().isFinal()) {
      throw new BridgeException(
          BridgeException.Kind.CONFLICT,
          "the ticket is " + ticket.status().wireName() + ": the customer has nothing left to do");
    }
    byte[] nonce = new byte[16];
    random.nextBytes(nonce);
    String linkId = Base64.getUrlEncoder().withoutPadding().encodeToString(nonce);
    // Whole seconds: the token carries the expiry in epoch seconds.
    Instant expiresAt = Instant.ofEpochSecond(now.plus(validFor).getEpochSecond());
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO customer_links (id, ticket_id, issued_at, issued_by, expires_at)"
                + " VALUES (?, ?, ?, ?, ?)")) {
      insert.setString(1, linkId);
      insert.setLong(2, ticketId);
      insert.setTimestamp(3, Timestamp.from(now));
      insert.setString(4, actor);
      insert.setTimestamp(5, Timestamp.from(expiresAt));
      insert.executeUpdate();
    }
    TicketStore.appendTimeline(
        c,
        ticketId,
        now,
        actor,
        "customer_link_issued",
        null,
        null,
        null,
        Map.of("linkId", linkId, "expiresAt", expiresAt.toString()));
    String payload = VERSION + "." + ticketId + "." + expiresAt.getEpochSecond() + "." + linkId;
    return new Issued(linkId, payload + "." + encode(sign(payload)), expiresAt);
  }

  /** Revokes a link of the ticket; revoking twice is harmless. */
  void revoke(Connection c, long ticketId, String linkId, String actor, Instant now)
      throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE customer_links SET revoked_at = COALESCE(revoked_at, ?),"
                + " revoked_by = COALESCE(revoked_by, ?) WHERE id = ? AND ticket_id = ?")) {
      update.setTimestamp(1, Timestamp.from(now));
      update.setString(2, actor);
      update.setString(3, linkId);
      update.setLong(4, ticketId);
      if (update.executeUpdate() == 0) {
        throw new BridgeException(BridgeException.Kind.NOT_FOUND, "no such link for this ticket");
      }
    }
    TicketStore.appendTimeline(
        c,
        ticketId,
        now,
        actor,
        "customer_link_revoked",
        null,
        null,
        null,
        Map.of("linkId", linkId));
  }

  /** The case the token opens, or the one refusal for every kind of invalid token. */
  Verified verify(Connection c, String token, Instant now) throws SQLException {
    if (token == null || token.length() > MAX_TOKEN) {
      throw refused();
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 5 || !VERSION.equals(parts[0])) {
      throw refused();
    }
    String payload = parts[0] + "." + parts[1] + "." + parts[2] + "." + parts[3];
    byte[] given;
    try {
      given = Base64.getUrlDecoder().decode(parts[4]);
    } catch (IllegalArgumentException e) {
      throw refused();
    }
    if (!MessageDigest.isEqual(sign(payload), given)) {
      throw refused();
    }
    long ticketId;
    long expiresAt;
    try {
      ticketId = Long.parseLong(parts[1]);
      expiresAt = Long.parseLong(parts[2]);
    } catch (NumberFormatException e) {
      throw refused();
    }
    if (now.getEpochSecond() >= expiresAt) {
      throw refused();
    }
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT 1 FROM customer_links WHERE id = ? AND ticket_id = ? AND expires_at = ?"
                + " AND revoked_at IS NULL")) {
      select.setString(1, parts[3]);
      select.setLong(2, ticketId);
      select.setTimestamp(3, Timestamp.from(Instant.ofEpochSecond(expiresAt)));
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next()) {
          throw refused();
        }
      }
    }
    return new Verified(ticketId, parts[3], Instant.ofEpochSecond(expiresAt));
  }

  private byte[] sign(String payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  private static String encode(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static BridgeException refused() {
    return new BridgeException(BridgeException.Kind.UNAUTHENTICATED, REFUSED);
  }
}
