package io.aftercare.bridge;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures: {@code v1,<base64 HMAC-SHA256(key, id + "." + timestamp + "." +
 * body)>}, the key being the base64-decoded part of a {@code whsec_} secret.
 */
public final class WebhookSignature {

  private static final String PREFIX = "whsec_";

  private final byte[] key;

  private WebhookSignature(byte[] key) {
    this.key = key;
  }

  /** Parses a {@code whsec_<base64>} secret; anything else is a configuration error. */
  public static WebhookSignature fromSecret(String secret) {
    if (secret == null || !secret.startsWith(PREFIX)) {
      throw new IllegalArgumentException("the webhook secret must have the form whsec_<base64>");
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the webhook secret's key is not valid base64", e);
    }
    if (key.length < 16) {
      throw new IllegalArgumentException("the webhook secret's key must be at least 16 bytes");
    }
    return new WebhookSignature(key);
  }

  /** The {@code webhook-signature} header value for this message. */
  public String sign(String id, long timestampSeconds, byte[] body) {
    return "v1," + Base64.getEncoder().encodeToString(hmac(id, timestampSeconds, body));
  }

  /**
   * Whether any of the space-separated signatures in {@code header} is a valid v1 signature of the
   * message (several are sent while keys rotate). Compared in constant time.
   */
  public boolean verify(String id, long timestampSeconds, byte[] body, String header) {
    if (header == null) {
      return false;
    }
    byte[] expected = hmac(id, timestampSeconds, body);
    for (String candidate : header.trim().split(" +")) {
      if (!candidate.startsWith("v1,")) {
        continue;
      }
      try {
        byte[] given = Base64.getDecoder().decode(candidate.substring(3));
        if (MessageDigest.isEqual(expected, given)) {
          return true;
        }
      } catch (IllegalArgumentException notBase64) {
        // A malformed candidate is simply not a match.
      }
    }
    return false;
  }

  private byte[] hmac(String id, long timestampSeconds, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
