package io.aftercare.platform.security;

import io.aftercare.platform.config.AftercareConfig;
import io.aftercare.platform.config.ConfigException;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * The certificate the MQTT TLS listener and HTTPS present: the configured PEM files, or a
 * self-signed one generated into the data folder when {@code tls.selfSigned} asks for it.
 */
public record ServerCertificate(Path certificate, Path privateKey) {

  /**
   * TLS 1.2 and 1.3 only: older versions have known weaknesses and no client of ours needs them.
   */
  private static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

  /**
   * @return empty when no certificate is configured and none is to be generated: then there is no
   *     MQTT TLS listener and the API is plain HTTP
   * @throws ConfigException naming the key when a configured file is missing or only one is set
   */
  public static Optional<ServerCertificate> resolve(AftercareConfig.Tls tls, Path dataDir) {
    if (tls.certificateConfigured()) {
      return Optional.of(
          new ServerCertificate(
              readable(tls.certificate(), "tls.certificate"),
              readable(tls.privateKey(), "tls.privateKey")));
    }
    return tls.selfSigned()
        ? Optional.of(SelfSignedCertificate.generateOnce(dataDir))
        : Optional.empty();
  }

  private static Path readable(String configured, String key) {
    if (configured.isBlank()) {
      throw new ConfigException(
          key + " is empty: tls.certificate and tls.privateKey are set together", null);
    }
    Path path = Path.of(configured);
    if (!Files.isReadable(path)) {
      throw new ConfigException(key + ": cannot read " + path, null);
    }
    return path;
  }

  /** Turns the server options into TLS-only ones presenting this certificate. */
  public void secure(NetServerOptions options) {
    options
        .setSsl(true)
        .setKeyCertOptions(
            new PemKeyCertOptions()
                .setCertPath(certificate.toString())
                .setKeyPath(privateKey.toString()))
        .setEnabledSecureTransportProtocols(PROTOCOLS);
  }
}
