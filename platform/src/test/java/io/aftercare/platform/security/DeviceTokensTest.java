package io.aftercare.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Device tokens derived from the server key, so DTLS can recompute them from the salt. */
class DeviceTokensTest {

  @TempDir Path dataDir;

  @Test
  void tokenIsRecomputableFromKeyIdAndSaltAndMatchesItsStoredHash() {
    DeviceTokens tokens = new DeviceTokens(ServerKey.resolve("", dataDir));
    byte[] salt = SecretHash.newSalt();

    String token = tokens.derive("d1", salt);
    SecretHash.Salted stored = SecretHash.hash(token, salt);

    assertThat(tokens.derive("d1", stored.salt())).isEqualTo(token);
    assertThat(SecretHash.matches(token, stored.salt(), stored.hash())).isTrue();
    assertThat(tokens.derive("d2", salt)).isNotEqualTo(token);
    assertThat(tokens.derive("d1", SecretHash.newSalt())).isNotEqualTo(token);
    assertThat(token).matches("[A-Za-z0-9_-]{43}");
  }

  @Test
  void theDtlsKeyIsRecomputableButIndependentOfTheToken() {
    DeviceTokens tokens = new DeviceTokens(ServerKey.resolve("", dataDir));
    byte[] salt = SecretHash.newSalt();

    String dtlsKey = tokens.deriveDtlsKey("d1", salt);

    assertThat(tokens.deriveDtlsKey("d1", salt)).isEqualTo(dtlsKey);
    assertThat(dtlsKey).isNotEqualTo(tokens.derive("d1", salt)).matches("[A-Za-z0-9_-]{43}");
    assertThat(tokens.deriveDtlsKey("d1", SecretHash.newSalt())).isNotEqualTo(dtlsKey);
    assertThat(tokens.deriveDtlsKey("d2", salt)).isNotEqualTo(dtlsKey);
  }

  @Test
  void generatedServerKeyIsOwnerOnlyAndKeptAcrossRestarts() throws Exception {
    byte[] first = ServerKey.resolve("", dataDir);
    byte[] second = ServerKey.resolve("", dataDir);

    assertThat(first).hasSize(32).isEqualTo(second);
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dataDir.resolve("server.key"))))
        .isEqualTo("rw-------");
  }

  @Test
  void configuredServerKeyWinsAndMustBeLongEnough() {
    byte[] key = new byte[32];
    key[0] = 7;

    assertThat(ServerKey.resolve(Base64.getEncoder().encodeToString(key), dataDir)).isEqualTo(key);
    assertThat(Files.exists(dataDir.resolve("server.key"))).isFalse();
    assertThatThrownBy(() -> ServerKey.resolve("c2hvcnQ=", dataDir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32 bytes");
  }
}
