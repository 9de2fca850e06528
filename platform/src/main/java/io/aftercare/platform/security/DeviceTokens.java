package io.aftercare.platform.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Device tokens derived from the server key and the device's stored salt:
 *
 * <pre>token = base64url(HMAC-SHA256(serverKey, "aftercare-device-token:v1:" + id + ":" +
 * base64(salt)))</pre>
 *
 * <p>DTLS-PSK needs the device's key in clear on the server, but tokens are stored only as salted
 * hashes. Deriving the token lets the PSK store compute it again from (server key, device id, salt)
 * while the database holds nothing secret. The cost: whoever holds the server key can compute every
 * device's token, so the key is kept outside the database (see docs/security.md).
 */
public final class DeviceTokens {

  private static final String ALGORITHM = "HmacSHA256";
  private static final String CONTEXT = "aftercare-device-token:v1:";

  private final SecretKeySpec key;

  public DeviceTokens(byte[] serverKey) {
    this.key = new SecretKeySpec(serverKey, ALGORITHM);
  }

  public String derive(String deviceId, byte[] salt) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      byte[] input =
          (CONTEXT + deviceId + ":" + Base64.getEncoder().encodeToString(salt))
              .getBytes(StandardCharsets.UTF_8);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(input));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
