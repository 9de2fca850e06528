package io.aftercare.platform.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Device tokens and DTLS keys derived from the server key and the device's stored salt:
 *
 * <pre>token = base64url(HMAC-SHA256(serverKey, "aftercare-device-token:v1:" + id + ":" +
 * base64(salt)))
 * dtlsKey = base64url(HMAC-SHA256(serverKey, "aftercare-dtls-psk:v1:" + id + ":" +
 * base64(salt)))</pre>
 *
 * <p>The two labels make the two secrets independent: the token crosses plain MQTT and CoAP, and
 * whoever reads it there learns nothing of the DTLS key. Both change when the salt does (token
 * rotation).
 *
 * <p>DTLS-PSK needs the device's key in clear on the server, but tokens are stored only as salted
 * hashes. Deriving the token lets the PSK store compute it again from (server key, device id, salt)
 * while the database holds nothing secret. The cost: whoever holds the server key can compute every
 * device's token, so the key is kept outside the database (see docs/security.md).
 */
public final class DeviceTokens {

  private static final String ALGORITHM = "HmacSHA256";
  private static final String CONTEXT = "aftercare-device-token:v1:";
  private static final String DTLS_CONTEXT = "aftercare-dtls-psk:v1:";

  private final SecretKeySpec key;

  public DeviceTokens(byte[] serverKey) {
    this.key = new SecretKeySpec(serverKey, ALGORITHM);
  }

  public String derive(String deviceId, byte[] salt) {
    return derive(CONTEXT, deviceId, salt);
  }

  /** The device's DTLS pre-shared key (the key itself, as the device is given it: base64url). */
  public String deriveDtlsKey(String deviceId, byte[] salt) {
    return derive(DTLS_CONTEXT, deviceId, salt);
  }

  private String derive(String context, String deviceId, byte[] salt) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      byte[] input =
          (context + deviceId + ":" + Base64.getEncoder().encodeToString(salt))
              .getBytes(StandardCharsets.UTF_8);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(input));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
