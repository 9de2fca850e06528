package io.aftercare.platform.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonFormat;
import io.aftercare.bridge.BridgeConfig;
import io.aftercare.platform.notify.NotificationSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

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
    Tls tls,
    Cluster cluster) {

  /**
   * @param idleTimeout a connection with no traffic this long is closed
   * @param headerTimeout a request whose head has not fully arrived this long after its first byte
   *     (or after the connection opened) is answered 408 and its connection closed (slowloris)
   * @param bodyTimeout a request whose body has not fully arrived this long after its head is
   *     answered 408 and its connection closed
   */
  public record Http(
      String host, int port, Duration idleTimeout, Duration headerTimeout, Duration bodyTimeout) {}

  public record Mqtt(
      String host,
      int port,
      int maxPacketBytes,
      int receiveMaximum,
      Duration maxKeepAlive,
      Duration connectTimeout,
      int instances,
      int maxSubscriptions,
      int maxConnectionsPerSource) {}

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
      Duration retryAfter,
      int maxOpenTransfers,
      Duration blockwiseLifetime) {}

  public record Database(
      String url,
      String user,
      String password,
      int poolSize,
      int embeddedPort,
      Duration compressAfter,
      Duration retainFor,
      Duration rollupInterval,
      Duration sensitiveEventsRetainFor,
      Duration presenceRetainFor) {

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
      Duration maxFutureSkew,
      DeviceQuota deviceQuota) {}

  /**
   * One device's allowance; see {@code ingest.deviceQuota} in aftercare.yaml.
   *
   * @param burst how long a device may send at full speed after a quiet spell: each bucket holds
   *     this much of its rate
   * @param maxQueuedPoints a device's share of the write queue: with this many of its points
   *     waiting for the database, its next message is refused at the door
   * @param disconnectAfterRefusals an MQTT connection refused this often for its quota within 10 s
   *     is closed (MQTT 5: DISCONNECT 0x96)
   */
  public record DeviceQuota(
      int messagesPerSecond,
      int bytesPerSecond,
      Duration burst,
      int maxQueuedPoints,
      int disconnectAfterRefusals) {}

  /**
   * @param secondApprover commands (catalog names) that wait for another supervisor's approval
   *     before they are sent; empty: none
   * @param approvalTimeout how long such a command waits for it before it expires
   * @param requireOwnerConsent staff commands beyond read-only diagnostics need the owner's support
   *     session; false only for fleets without owners (a lab, a test bench)
   */
  public record Commands(
      int maxOpenPerDevice,
      Duration sweepInterval,
      Bulk bulk,
      @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
          List<String> secondApprover,
      Duration approvalTimeout,
      boolean requireOwnerConsent) {}

  /** Bulk commands; see {@code commands.bulk} in aftercare.yaml. */
  public record Bulk(int ratePerSecond, int maxTargets, int maxRunningPerMember) {}

  public record Diagnostics(
      String rulesDir,
      Duration tickInterval,
      Duration verifyWindow,
      Duration restoreWindow,
      Duration sessionHistory,
      Duration selfTestTimeout,
      int queueCapacity,
      FirmwareGuard firmwareGuard,
      HomeOutage homeOutage,
      FleetIncident fleetIncident,
      HealthCheck healthCheck) {}

  /**
   * Fleet incidents; see {@code diagnostics.fleetIncident} in aftercare.yaml.
   *
   * @param minHomes homes (a device of no home counts as its own) that must have gone offline
   *     together for the engine to declare an incident
   * @param window devices count as gone offline together when they went offline this close to the
   *     device whose alarm is being raised
   * @param significantCustomers customers affected from which the incident is {@code significant}
   * @param majorCustomers and from which {@code major}
   * @param especiallyMajorCustomers and from which {@code especially_major}; below all three it is
   *     {@code general}
   */
  public record FleetIncident(
      int minHomes,
      Duration window,
      int significantCustomers,
      int majorCustomers,
      int especiallyMajorCustomers) {}

  /**
   * The post-fix health check; see {@code diagnostics.healthCheck} in aftercare.yaml.
   *
   * @param window how long after a ticketed fault's alarm cleared the device must have stayed
   *     healthy before the ticket may be resolved or cancelled
   * @param interval how often due checks are decided
   */
  public record HealthCheck(Duration window, Duration interval) {}

  /**
   * Home outages; see {@code diagnostics.homeOutage} in aftercare.yaml.
   *
   * @param fraction share of a home's devices in service that must have gone offline together
   * @param minDevices and at least this many of them
   * @param window devices count as gone offline together when their silences began this close to
   *     the silence of the device whose alarm is being raised; alarms count as raised together
   *     (degradation) this close to each other, and a degradation alarm waits this long for the
   *     rest of its home before its remedy
   * @param degradationRules the rules whose alarms, raised by most of a home together, mean the
   *     home's network is degraded rather than each device
   */
  public record HomeOutage(
      double fraction,
      int minDevices,
      Duration window,
      @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
          List<String> degradationRules) {}

  /**
   * The firmware regression guard; see {@code diagnostics.firmwareGuard} in aftercare.yaml.
   *
   * @param period how far back the periodic evaluation looks
   * @param minDeviceDays each of two compared versions needs this much exposure
   * @param minAlarms two compared versions need this many alarms together
   * @param significance the test's threshold α; intervals are at 1 - α
   * @param rollbackPlaybook the playbook a regression alarm offers to roll its devices back; blank:
   *     none offered
   */
  public record FirmwareGuard(
      Duration evaluateEvery,
      Duration period,
      double minDeviceDays,
      long minAlarms,
      double significance,
      String rollbackPlaybook) {}

  /**
   * @param sessionIdleTimeout a console session unused this long is over
   * @param sessionMaxAge a console session is over this long after sign-in, however busy
   * @param staffTokenLifetime a staff token stops working this long after it was issued
   * @param reenableBootstrapAdmin at start, enable the bootstrap admin again if it was disabled
   * @param dataKey base64 key sealing personal data at rest; blank: {@code <dataDir>/data.key}
   * @param dataKeyPrevious base64 key being rotated out, still opening the values sealed under it
   *     until the background re-seal has converted them; blank: {@code <dataDir>/data.key.previous}
   *     when that file exists, else none
   */
  public record Security(
      String adminToken,
      String serverKey,
      Duration credentialCacheTtl,
      Duration sessionIdleTimeout,
      Duration sessionMaxAge,
      Duration staffTokenLifetime,
      boolean reenableBootstrapAdmin,
      FailedAuth failedAuth,
      String dataKey,
      String dataKeyPrevious) {

    @Override
    public String toString() {
      return "Security[adminToken=<hidden>, serverKey=<hidden>, credentialCacheTtl="
          + credentialCacheTtl
          + ", sessionIdleTimeout="
          + sessionIdleTimeout
          + ", sessionMaxAge="
          + sessionMaxAge
          + ", staffTokenLifetime="
          + staffTokenLifetime
          + ", reenableBootstrapAdmin="
          + reenableBootstrapAdmin
          + ", failedAuth="
          + failedAuth
          + ", dataKey=<hidden>, dataKeyPrevious=<hidden>]";
    }
  }

  /** Failed authentication; see {@code security.failedAuth} in aftercare.yaml. */
  public record FailedAuth(
      int freeFailures,
      Duration initialBackoff,
      Duration maxBackoff,
      Duration forgetAfter,
      int maxSources,
      Duration reportInterval,
      int maxReportedSources) {}

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

  /**
   * Several nodes as one platform; see the {@code cluster} section of aftercare.yaml.
   *
   * @param mode {@code off} (one node, no Hazelcast) or {@code hazelcast}
   * @param nodeId this node's name, stable across restarts; blank: the host name
   * @param members host:port of the Hazelcast members to join
   * @param nodeTimeout a node silent in the database this long is taken for dead
   */
  public record Cluster(
      Mode mode,
      String nodeId,
      String host,
      int port,
      int eventBusPort,
      @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> members,
      Duration nodeTimeout) {

    public Cluster {
      // The environment variable lists members comma-separated in one value.
      members =
          members.stream()
              .flatMap(entry -> Arrays.stream(entry.split(",")))
              .map(String::strip)
              .filter(member -> !member.isEmpty())
              .toList();
    }

    /** How the platform runs. */
    public enum Mode {
      OFF,
      HAZELCAST;

      /** YAML 1.1 reads an unquoted {@code off} as the boolean false: both mean {@link #OFF}. */
      @JsonCreator
      static Mode of(Object value) {
        if (Boolean.FALSE.equals(value)) {
          return OFF;
        }
        return switch (String.valueOf(value)) {
          case "off" -> OFF;
          case "hazelcast" -> HAZELCAST;
          default ->
              throw new IllegalArgumentException(
                  "cluster.mode must be off or hazelcast, not " + value);
        };
      }
    }
  }
}
