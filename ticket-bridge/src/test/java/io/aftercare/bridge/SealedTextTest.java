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
}
