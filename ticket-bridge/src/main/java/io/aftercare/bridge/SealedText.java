package io.aftercare.bridge;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
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
 *
 * <p>Rotation: the key id in each value tells which key opens it, so a ring of the data key and the
 * previous one ({@code security.dataKeyPrevious}, {@code <dataDir>/data.key.previous}) reads both
 * while {@link FieldSealing} re-seals the previous key's values under the new one.
 */
public final class SealedText {

  private static final String PREFIX = "sv1:";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Key current;
  private final Key previous;

  /**
   * @param dataKey at least 32 bytes; separate encryption and index keys are derived from it so a
   *     blind index never reveals anything about the ciphertext's key
   */
  public SealedText(byte[] dataKey) {
    this(dataKey, null);
  }

  /**
   * A key ring for rotation: values are sealed and indexed under {@code dataKey}; values sealed
   * under {@code previousKey} still open until they are re-sealed ({@link FieldSealing}), and the
   * equality filters match both keys' indexes meanwhile ({@link #indexes}).
   *
   * @param previousKey the key being rotated out, or {@code null}
   */
  public SealedText(byte[] dataKey, byte[] previousKey) {
    this.current = new Key(dataKey);
    this.previous = previousKey == null ? null : new Key(previousKey);
    if (previous != null && previous.id.equals(current.id)) {
      throw new IllegalArgumentException("the previous data key is the data key itself");
    }
  }

  /** Which key this is, as it is written into every value it seals. */
  public String keyId() {
    return current.id;
  }

  /** The key being rotated out, whose values still open; empty when none is configured. */
  public Optional<String> previousKeyId() {
    return previous == null ? Optional.empty() : Optional.of(previous.id);
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
      cipher.init(Cipher.ENCRYPT_MODE, current.encryption, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(current.id.getBytes(StandardCharsets.US_ASCII));
      byte[] sealed = cipher.doFinal(clear.getBytes(StandardCharsets.UTF_8));
      byte[] out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
      return PREFIX
          + current.id
          + ":"
          + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  /**
   * The clear text of a stored value: opened when sealed (under the data key or the previous one),
   * as it is when written before sealing existed; {@code null} stays {@code null}.
   *
   * @throws IllegalStateException when sealed under another key or tampered with
   */
  public String open(String stored) {
    if (!isSealed(stored)) {
      return stored;
    }
    String storedKeyId = keyIdOf(stored);
    if (!opens(storedKeyId)) {
      throw new IllegalStateException(
          "a value is sealed under data key " + storedKeyId + ", not the configured " + current.id);
    }
    Key key = storedKeyId.equals(current.id) ? current : previous;
    try {
      byte[] in =
          Base64.getUrlDecoder().decode(stored.substring(PREFIX.length() + key.id.length() + 1));
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.DECRYPT_MODE, key.encryption, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
      cipher.updateAAD(key.id.getBytes(StandardCharsets.US_ASCII));
      return new String(
          cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException | IndexOutOfBoundsException e) {
      throw new IllegalStateException("a sealed value does not open with data key " + key.id, e);
    }
  }

  /** Whether {@code keyId} names the data key or the previous one, so that its values open. */
  public boolean opens(String keyId) {
    return current.id.equals(keyId) || (previous != null && previous.id.equals(keyId));
  }

  /** The key id a sealed value names ({@code ""} when it names none). */
  private static String keyIdOf(String stored) {
    int colon = stored.indexOf(':', PREFIX.length());
    return colon < 0 ? "" : stored.substring(PREFIX.length(), colon);
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
    return clear == null ? null : current.index(clear);
  }

  /**
   * Every index a row holding {@code clear} may carry: the data key's, then, while a rotation is
   * re-sealing rows, the previous key's. Equality filters match any of them; empty for {@code
   * null}.
   */
  public List<String> indexes(String clear) {
    if (clear == null) {
      return List.of();
    }
    return previous == null
        ? List.of(current.index(clear))
        : List.of(current.index(clear), previous.index(clear));
  }

  /** One data key with the keys derived from it. */
  private static final class Key {
    private final String id;
    private final SecretKeySpec encryption;
    private final SecretKeySpec index;

    Key(byte[] dataKey) {
      if (dataKey.length < 32) {
        throw new IllegalArgumentException("the data key must hold at least 32 bytes");
      }
      this.id = HexFormat.of().formatHex(sha256(dataKey), 0, 4);
      this.encryption = new SecretKeySpec(derive(dataKey, "aftercare-seal:aes-gcm:v1"), "AES");
      this.index = new SecretKeySpec(derive(dataKey, "aftercare-seal:index:v1"), "HmacSHA256");
    }

    String index(String clear) {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(index);
        return Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(mac.doFinal(clear.getBytes(StandardCharsets.UTF_8)));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HMAC-SHA256 is not available", e);
      }
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
