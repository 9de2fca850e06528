package io.aftercare.bridge.testing;

import io.aftercare.bridge.BridgeConfig;
import java.time.Duration;
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

  private TestBridgeConfig() {}

  public static TestBridgeConfig defaults() {
    return new TestBridgeConfig();
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

  public BridgeConfig build() {
    return new BridgeConfig(
        enabled,
        connector,
        outboundAllowPrivate,
        new BridgeConfig.Priorities(
            Map.of("critical", "P1", "major", "P2", "minor", "P3", "warning", "P4"),
            Map.of("standard", 0, "premium", 1, "vip", 1),
            Map.of("door_lock", 1)),
        Map.of(
            "P1", target(2, 24),
            "P2", target(4, 48),
            "P3", target(24, 48),
            "P4", target(48, 96)),
        0.75,
        new BridgeConfig.Calendar("", "UTC"),
        retry,
        Duration.ofMinutes(5),
        24,
        pollInterval,
        Duration.ofSeconds(30),
        deliveryWorkers,
        episodeWindow,
        reopenWindow,
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

  private static BridgeConfig.SlaTarget target(int respondHours, int repairHours) {
    return new BridgeConfig.SlaTarget(
        Duration.ofHours(respondHours), Duration.ofHours(repairHours));
  }
}
