package io.aftercare.bridge.testing;

import io.aftercare.bridge.BridgeConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The bridge's settings with the defaults documented in the platform's {@code aftercare.yaml}
 * ({@code tickets:}), changed one at a time the way a test's overrides do.
 */
public final class TestBridgeConfig {

  private boolean enabled = true;
  private BridgeConfig.Connector connector =
      new BridgeConfig.Connector(
          "webhook", "", "", new BridgeConfig.Jira("", "SVC", "Incident", ""));
  private boolean outboundAllowPrivate;
  private BridgeConfig.Retry retry =
      new BridgeConfig.Retry(
          Duration.ofSeconds(2),
          Duration.ofMinutes(10),
          0.5,
          Duration.ofHours(24),
          Duration.ofSeconds(10));
  private Duration pollInterval = Duration.ofSeconds(1);
  private int deliveryWorkers = 2;
  private Duration episodeWindow = Duration.ofHours(24);
  private Duration reopenWindow = Duration.ofDays(7);
  private BridgeConfig.CustomerCare customerCare =
      new BridgeConfig.CustomerCare(
          Duration.ofDays(3),
          3,
          Duration.ofDays(14),
          Duration.ofDays(90),
          // 32 bytes of test key: the platform resolves a real one under its data folder.
          "dGVzdC1jdXN0b21lci1saW5rLWtleS0zMi1ieXRlcyE=");
  private Duration archiveAfter = Duration.ofDays(90);
  private BridgeConfig.Retention retention =
      new BridgeConfig.Retention(Duration.ofHours(1), Duration.ofDays(30));

  /** The tests' response, arrangement and repair targets per priority, in hours. */
  public static final Map<String, BridgeConfig.SlaTarget> SLA_BY_PRIORITY =
      Map.of(
          "P1", target(2, 12, 24),
          "P2", target(4, 24, 48),
          "P3", target(24, 48, 48),
          "P4", target(24, 48, 96));

  private Map<String, BridgeConfig.SlaTarget> slaTargets = SLA_BY_PRIORITY;

  private TestBridgeConfig() {}

  public static TestBridgeConfig defaults() {
    return new TestBridgeConfig();
  }

  /** Other response, arrangement and repair targets per priority. */
  public TestBridgeConfig slaTargets(Map<String, BridgeConfig.SlaTarget> targets) {
    slaTargets = targets;
    return this;
  }

  /** The background jobs stay off: the test runs them with {@code runOnce()}. */
  public TestBridgeConfig disabled() {
    enabled = false;
    return this;
  }

  public TestBridgeConfig webhook(String url, String secret) {
    connector = new BridgeConfig.Connector("webhook", url, secret, connector.jira());
    return this;
  }

  public TestBridgeConfig jira(String baseUrl, String token) {
    connector =
        new BridgeConfig.Connector(
            "jira", "", "", new BridgeConfig.Jira(baseUrl, "SVC", "Incident", token));
    return this;
  }

  /** Lets the bridge call the stand-in helpdesk on loopback, as the SSRF rule demands. */
  public TestBridgeConfig allowPrivateAddresses() {
    outboundAllowPrivate = true;
    return this;
  }

  public TestBridgeConfig retry(Duration base, Duration max, Duration horizon) {
    retry = new BridgeConfig.Retry(base, max, retry.jitter(), horizon, retry.requestTimeout());
    return this;
  }

  public TestBridgeConfig requestTimeout(Duration timeout) {
    retry =
        new BridgeConfig.Retry(retry.base(), retry.max(), retry.jitter(), retry.horizon(), timeout);
    return this;
  }

  public TestBridgeConfig pollInterval(Duration interval) {
    pollInterval = interval;
    return this;
  }

  public TestBridgeConfig deliveryWorkers(int workers) {
    deliveryWorkers = workers;
    return this;
  }

  public TestBridgeConfig episodes(Duration episode, Duration reopen) {
    episodeWindow = episode;
    reopenWindow = reopen;
    return this;
  }

  public TestBridgeConfig archiveAfter(Duration after) {
    archiveAfter = after;
    return this;
  }

  public TestBridgeConfig keepDeliveredEvents(Duration keep) {
    retention = new BridgeConfig.Retention(retention.interval(), keep);
    return this;
  }

  public BridgeConfig build() {
    return new BridgeConfig(
        enabled,
        connector,
        outboundAllowPrivate,
        new BridgeConfig.Priorities(
            Map.of("critical", "P1", "major", "P2", "minor", "P3", "warning", "P4"),
            Map.of("standard", 0, "premium", 1, "vip", 1),
            Map.of("door_lock", 1)),
        new BridgeConfig.Sla(slaTargets, Map.of()),
        0.75,
        new BridgeConfig.Calendar("", "UTC", List.of()),
        retry,
        Duration.ofMinutes(5),
        24,
        pollInterval,
        Duration.ofSeconds(30),
        deliveryWorkers,
        episodeWindow,
        reopenWindow,
        archiveAfter,
        retention,
        Duration.ofHours(24),
        customerCare,
        new BridgeConfig.Incidents(
            Map.of(
                "general", Duration.ofHours(2),
                "significant", Duration.ofHours(4),
                "major", Duration.ofHours(4),
                "especially_major", Duration.ofHours(6)),
            Duration.ofHours(12),
            Duration.ofHours(24)),
        new BridgeConfig.Complaints(Duration.ofHours(24)));
  }

  private static BridgeConfig.SlaTarget target(
      int respondHours, int arrangeHours, int repairHours) {
    return new BridgeConfig.SlaTarget(
        Duration.ofHours(respondHours),
        Duration.ofHours(arrangeHours),
        Duration.ofHours(repairHours));
  }
}
