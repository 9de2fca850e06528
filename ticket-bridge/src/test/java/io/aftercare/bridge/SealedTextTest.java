package io.aftercare.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SealedTextTest {

  private static byte[] key(int fill) {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) fill);
    return key;
  }

  private final SealedText sealed = new SealedText(key(7));

  @Test
  void sealedTextOpensToTheClearTextAndDoesNotContainIt() {
    String stored = sealed.seal("CUST-0042 Jane Doe");

    assertThat(stored).startsWith("sv1:" + sealed.keyId() + ":").doesNotContain("CUST-0042");
    assertThat(SealedText.isSealed(stored)).isTrue();
    assertThat(sealed.open(stored)).isEqualTo("CUST-0042 Jane Doe");
  }

  @Test
  void equalTextsSealDifferentlyButShareOneBlindIndex() {
    assertThat(sealed.seal("CUST-1")).isNotEqualTo(sealed.seal("CUST-1"));
    assertThat(sealed.index("CUST-1"))
        .isEqualTo(sealed.index("CUST-1"))
        .isNotEqualTo(sealed.index("CUST-2"))
        .isNotEqualTo(new SealedText(key(8)).index("CUST-1"));
  }

  @Test
  void nullStaysNullAndClearTextWrittenBeforeSealingIsReturnedAsItIs() {
    assertThat(sealed.seal(null)).isNull();
    assertThat(sealed.open(null)).isNull();
    assertThat(sealed.index(null)).isNull();
    assertThat(sealed.open("CUST-legacy")).isEqualTo("CUST-legacy");
  }

  @Test
  void aValueSealedUnderAnotherKeyOrTamperedWithIsRefused() {
    String other = new SealedText(key(8)).seal("CUST-1");
    assertThatThrownBy(() -> sealed.open(other)).hasMessageContaining("sealed under data key");

    String stored = sealed.seal("CUST-1");
    // A character well inside the base64 text: all six of its bits are data (the last one's low
    // bits may be padding, which decoders ignore).
    int at = stored.length() - 8;
    char changed = stored.charAt(at) == 'A' ? 'B' : 'A';
    String tampered = stored.substring(0, at) + changed + stored.substring(at + 1);
    assertThatThrownBy(() -> sealed.open(tampered)).hasMessageContaining("does not open");
  }

  @Test
  void aShortKeyIsRefused() {
    assertThatThrownBy(() -> new SealedText(new byte[16]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aRingWithThePreviousKeyOpensBothKeysValuesSealsUnderTheNewOneAndIndexesUnderBoth() {
    SealedText old = new SealedText(key(7));
    String sealedBefore = old.seal("CUST-rotated");
    SealedText ring = new SealedText(key(9), key(7));

    assertThat(ring.open(sealedBefore)).isEqualTo("CUST-rotated");
    String sealedAfter = ring.seal("CUST-rotated");
    assertThat(sealedAfter).startsWith("sv1:" + ring.keyId() + ":");
    assertThat(ring.previousKeyId()).contains(old.keyId());
    assertThat(ring.indexes("CUST-rotated"))
        .containsExactly(ring.index("CUST-rotated"), old.index("CUST-rotated"));
    assertThat(ring.opens(old.keyId())).isTrue();
    assertThat(ring.opens(new SealedText(key(8)).keyId())).isFalse();

    // Once the previous key is dropped, only the new key's values open.
    SealedText after = new SealedText(key(9));
    assertThat(after.open(sealedAfter)).isEqualTo("CUST-rotated");
    assertThatThrownBy(() -> after.open(sealedBefore))
        .hasMessageContaining("sealed under data key");
    assertThat(after.indexes("CUST-rotated")).containsExactly(after.index("CUST-rotated"));
    assertThatThrownBy(() -> new SealedText(key(9), key(9)))
        .hasMessageContaining("previous data key is the data key itself");
  }
}
