package io.aftercare.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aftercare.platform.config.AftercareConfig;
import io.aftercare.platform.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which certificate the TLS listeners present, and the mistakes that stop a start. */
class ServerCertificateTest {

  @TempDir Path dataDir;

  @Test
  void withoutCertificateOrSelfSignedThereIsNoTls() {
    assertThat(ServerCertificate.resolve(tls("", "", false), dataDir)).isEmpty();
  }

  @Test
  void configuredFilesWinOverGeneration() throws Exception {
    Path cert = Files.writeString(dataDir.resolve("c.pem"), "x");
    Path key = Files.writeString(dataDir.resolve("k.pem"), "x");

    assertThat(ServerCertificate.resolve(tls(cert.toString(), key.toString(), true), dataDir))
        .contains(new ServerCertificate(cert, key));
    assertThat(dataDir.resolve("tls-certificate.pem")).doesNotExist();
  }

  @Test
  void aMissingFileOrAHalfConfiguredPairNamesTheKey() throws Exception {
    Path cert = Files.writeString(dataDir.resolve("c.pem"), "x");

    assertThatThrownBy(() -> ServerCertificate.resolve(tls(cert.toString(), "", false), dataDir))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tls.privateKey");
    assertThatThrownBy(
            () ->
                ServerCertificate.resolve(
                    tls(cert.toString(), dataDir.resolve("none.pem").toString(), false), dataDir))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tls.privateKey")
        .hasMessageContaining("none.pem");
  }

  @Test
  void theSelfSignedCertificateIsGeneratedOnceAsPem() throws Exception {
    ServerCertificate first = ServerCertificate.resolve(tls("", "", true), dataDir).orElseThrow();
    String pem = Files.readString(first.certificate());
    ServerCertificate second = ServerCertificate.resolve(tls("", "", true), dataDir).orElseThrow();

    assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(Files.readString(first.privateKey())).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(Files.readString(second.certificate())).isEqualTo(pem);
    try (var files = Files.list(dataDir)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .containsExactlyInAnyOrder("tls-certificate.pem", "tls-private-key.pem");
    }
  }

  private static AftercareConfig.Tls tls(String certificate, String key, boolean selfSigned) {
    return new AftercareConfig.Tls(certificate, key, selfSigned, 8883, "any", true, true);
  }
}
