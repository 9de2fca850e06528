package io.aftercare.bridge.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An independent implementation of the Standard Webhooks scheme, as a helpdesk would write it from
 * the specification: the production signer is deliberately not used to check itself.
 */
public final class StandardWebhooks {

  public static final String SECRET =
      "whsec_"
          + Base64.getEncoder()
              .encodeToString(
                  "aftercare-test-helpdesk-key-0123".getBytes(StandardCharsets.US_ASCII));

  private StandardWebhooks() {}

  public static String sign(String secret, String id, long timestamp, String body) {
    try {
      byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] digest =
          mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
      return "v1," + Base64.getEncoder().encodeToString(digest);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Verifies a received request the way a Standard Webhooks receiver does. */
  public static boolean verify(
      String secret, String id, String timestamp, String signatures, String body, long nowSeconds) {
    if (id == null || timestamp == null || signatures == null) {
      return false;
    }
    if (Math.abs(nowSeconds - Long.parseLong(timestamp)) > 300) {
      return false;
    }
    byte[] expected =
        sign(secret, id, Long.parseLong(timestamp), body).getBytes(StandardCharsets.US_ASCII);
    for (String signature : signatures.split(" ")) {
      if (MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII))) {
        return true;
      }
    }
    return false;
  }
}
