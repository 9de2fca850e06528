package io.aftercare.platform.config;

import io.aftercare.bridge.BridgeConfig;
import io.aftercare.platform.notify.NotificationSettings;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The platform's configuration. Every key, its default and its environment variable are documented
 * in {@code aftercare.yaml}, which is also where the defaults come from.
 */
public record AftercareConfig(
    Path dataDir,
    Http http,
    Mqtt mqtt,
    Coap coap,
    Database database,
    Ingest ingest,
    Commands commands,
    Diagnostics diagnostics,
    Security security,
    BridgeConfig tickets,
    NotificationSettings notifications,
    Tls tls) {

  public record Http(String host, int port) {}

  public record Mqtt(
      String host,
      int port,
      int maxPacketBytes,
      int receiveMaximum,
      Duration maxKeepAlive,
      Duration connectTimeout,
      int instances) {}

  /** The CoAP door (UDP and DTLS); see the {@code coap} section of aftercare.yaml. */
  public record Coap(
      String host,
      int port,
      int securePort,
      int maxPayloadBytes,
      int maxMessageBytes,
      int blockSize,
      Duration exchangeLifetime,
      int maxPeers,
      String deduplicator,
      Duration onlineWindow,
      Duration retryAfter) {}

  public record Database(
      String url,
      String user,
      String password,
      int poolSize,
      int embeddedPort,
      Duration compressAfter,
      Duration retainFor,
      Duration rollupInterval) {

    public boolean embedded() {
      return url == null || url.isBlank();
    }

    @Override
    public String toString() {
      // Keeps the password out of logs and exception messages.
      return "Database[url=" + url + ", user=" + user + ", poolSize=" + poolSize + "]";
    }
  }

  public record Ingest(
      int queueCapacity,
      int maxBatchPoints,
      Duration writeTimeout,
      Duration redeliveryFallback,
      Duration lastSeenInterval,
      int maxDocumentsPerBatch,
      int maxMetricsPerDocument,
      Duration maxFutureSkew) {}

  public record Commands(int maxOpenPerDevice, Duration sweepInterval, Bulk bulk) {}

  /** Bulk commands; see {@code commands.bulk} in aftercare.yaml. */
  public record Bulk(int ratePerSecond, int maxTargets, int maxRunningPerMember) {}

  public record Diagnostics(
      String rulesDir,
      Duration tickInterval,
      Duration verifyWindow,
      Duration restoreWindow,
      Duration sessionHistory,
      Duration selfTestTimeout,
      int queueCapacity) {}

  /**
   * @param sessionIdleTimeout a console session unused this long is over
   * @param sessionMaxAge a console session is over this long after sign-in, however busy
   */
  public record Security(
      String adminToken,
      String serverKey,
      Duration credentialCacheTtl,
      Duration sessionIdleTimeout,
      Duration sessionMaxAge) {

    @Override
    public String toString() {
      return "Security[adminToken=<hidden>, serverKey=<hidden>, credentialCacheTtl="
          + credentialCacheTtl
          + ", sessionIdleTimeout="
          + sessionIdleTimeout
          + ", sessionMaxAge="
          + sessionMaxAge
          + "]";
    }
  }

  /**
   * Transport security; see the {@code tls} section of aftercare.yaml and docs/security.md.
   *
   * @param certificate PEM certificate chain of the MQTT TLS listener and HTTPS, or blank
   * @param privateKey PEM (PKCS#8) private key of that certificate, or blank
   * @param selfSigned without a configured certificate, generate a self-signed one into the data
   *     folder (the demo)
   * @param mqttPort port of MQTT over TLS; 0 picks a free one, -1 opens none
   * @param deviceTransport the policy of a device whose own is not set: any or secure_only
   * @param dtlsPlainPsk also offer DTLS PSK suites without ECDHE, for devices too constrained for
   *     elliptic curves
   * @param legacyTokenPsk devices provisioned before DTLS keys existed may still use their token as
   *     the DTLS key, until their token is rotated
   */
  public record Tls(
      String certificate,
      String privateKey,
      boolean selfSigned,
      int mqttPort,
      String deviceTransport,
      boolean dtlsPlainPsk,
      boolean legacyTokenPsk) {

    public boolean certificateConfigured() {
      return !certificate.isBlank() || !privateKey.isBlank();
    }
  }
}
