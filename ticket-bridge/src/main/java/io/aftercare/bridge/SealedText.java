package io.aftercare.bridge;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Sensitive text sealed at rest with AES-256-GCM under a data key the database never sees, plus a
 * keyed blind index (HMAC-SHA256) so that equality search keeps working without the clear text.
 *
 * <p>A sealed value is {@code sv1:<keyId>:<base64url(nonce || ciphertext || tag)>}; the key id (the
 * first 8 hex digits of the key's SHA-256) names the key it was sealed under, so a value sealed
 * under another key is refused instead of being decrypted into garbage. Text without the {@code
 * sv1:} prefix is a value written before sealing existed (or by a tool writing the table directly):
 * it is returned as it is, and the platform seals such rows at its next start.
 */
public final class SealedText {

  private static final String PREFIX = "sv1:";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String keyId;
  private final SecretKeySpec encryptionKey;
  private final SecretKeySpec indexKey;

  /**
   * @param dataKey at least 32 bytes; separate encryption and index keys are derived from it so a
   *     blind index never reveals anything about the ciphertext's key
   */
  public SealedText(byte[] dataKey) {
    if (dataKey.length < 32) {
      throw new IllegalArgumentException("the data key must hold at least 32 bytes");
    }
    this.keyId = HexFormat.of().formatHex(sha256(dataKey), 0, 4);
    this.encryptionKey = new SecretKeySpec(derive(dataKey, "aftercare-seal:aes-gcm:v1"), "AES");
    this.indexKey = new SecretKeySpec(derive(dataKey, "aftercare-seal:index:v1"), "HmacSHA256");
  }

  /** Which key this is, as it is written into every value it seals. */
  public String keyId() {
    return keyId;
  }

  /** The sealed form of {@code clear}; {@code null} stays {@code null}. */
  public String seal(String clear) {
    if (clear == null) {
      return null;
    }
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, encryptionKey, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(keyId.getBytes(StandardCharsets.US_ASCII));
      byte[] sealed = cipher.doFinal(clear.getBytes(StandardCharsets.UTF_8));
      byte[] out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
      return PREFIX + keyId + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  /**
   * The clear text of a stored value: opened when sealed, as it is when written before sealing
   * existed; {@code null} stays {@code null}.
   *
   * @throws IllegalStateException when sealed under another key or tampered with
   */
  public String open(String stored) {
    if (!isSealed(stored)) {
      return stored;
    }
    int colon = stored.indexOf(':', PREFIX.length());
    String storedKeyId = colon < 0 ? "" : stored.substring(PREFIX.length(), colon);
    if (!storedKeyId.equals(keyId)) {
      throw new IllegalStateException(
          "a value is sealed under data key " + storedKeyId + ", not the configured " + keyId);
    }
    try {
      byte[] in = Base64.getUrlDecoder().decode(stored.substring(colon + 1));
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.DECRYPT_MODE, encryptionKey, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
      cipher.updateAAD(keyId.getBytes(StandardCharsets.US_ASCII));
      return new String(
          cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException("a sealed value does not open with data key " + keyId, e);
    }
  }

  /** Whether {@code stored} is in the sealed form (rather than clear text written earlier). */
  public static boolean isSealed(String stored) {
    return stored != null && stored.startsWith(PREFIX);
  }

  /**
   * The blind index of {@code clear} for equality search: equal texts give equal indexes under one
   * key, and the index reveals nothing else without the key; {@code null} stays {@code null}.
   */
  public String index(String clear) {
    if (clear == null) {
      return null;
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(indexKey);
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(mac.doFinal(clear.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }

  private static byte[] derive(byte[] key, String purpose) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(purpose.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }

  private static byte[] sha256(byte[] key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
