package io.aftercare.bridge;

import java.time.Duration;
import java.util.Map;

/**
 * The ticket bridge's settings. Every key, its default and its environment variable are documented
 * in the platform's {@code aftercare.yaml} under {@code tickets:}.
 *
 * @param outboundAllowPrivate allow helpdesk URLs that resolve to loopback, private, link-local or
 *     metadata addresses (off by default: such URLs are refused, see {@code OutboundAddressGuard})
 * @param warningRatio share of an SLA target after which a running clock is in warning
 * @param warrantyMonths warranty period from the sale date
 * @param episodeWindow an alarm joins its device's working ticket of the same category opened
 *     within this time, instead of opening another (docs/tickets.md, fault episodes)
 * @param reopenWindow a fault of the same device and category coming back within this time of its
 *     ticket's resolution reopens that ticket
 * @param archiveAfter a closed or cancelled case is archived this long after its last change
 *     (docs/retention.md)
 * @param reportedDiagnosticsWindow a customer-reported case carries the device's diagnostic
 *     sessions started within this time before its receipt
 */
public record BridgeConfig(
    boolean enabled,
    Connector connector,
    boolean outboundAllowPrivate,
    Priorities priority,
    Map<String, SlaTarget> sla,
    double warningRatio,
    Calendar calendar,
    Retry retry,
    Duration inboundTolerance,
    int warrantyMonths,
    Duration pollInterval,
    Duration escalationInterval,
    int deliveryWorkers,
    Duration episodeWindow,
    Duration reopenWindow,
    Duration archiveAfter,
    Retention retention,
    Duration reportedDiagnosticsWindow) {

  /**
   * @param type {@code webhook} (Standard Webhooks) or {@code jira} (Jira-style REST issues); empty
   *     URL: events stay in the outbox until a connector is configured
   * @param webhookSecret {@code whsec_<base64 key>}; also verifies inbound calls
   */
  public record Connector(String type, String webhookUrl, String webhookSecret, Jira jira) {
    @Override
    public String toString() {
      return "Connector[type=" + type + ", webhookUrl=" + webhookUrl + ", secret=<hidden>]";
    }
  }

  public record Jira(String baseUrl, String projectKey, String issueType, String token) {
    @Override
    public String toString() {
      return "Jira[baseUrl=" + baseUrl + ", projectKey=" + projectKey + ", token=<hidden>]";
    }
  }

  /**
   * Priority matrix: a base priority per alarm severity, raised by some levels for customer tiers
   * and device types (never above P1).
   */
  public record Priorities(
      Map<String, String> bySeverity,
      Map<String, Integer> raiseForTier,
      Map<String, Integer> raiseForDeviceType) {}

  /**
   * Hours the SLA clocks count.
   *
   * @param workingHours empty for 24/7, or one window such as {@code MON-FRI 08:00-18:00}
   * @param zone the time zone of the window
   */
  public record Calendar(String workingHours, String zone) {}

  /** Targets of one priority: first response, and repair (dispatch to resolved, minus pauses). */
  public record SlaTarget(Duration respond, Duration repair) {}

  /**
   * @param jitter share of each backoff delay taken off at random (0 to 1), so that retries from
   *     many events do not arrive together
   * @param horizon how long after an event was written it is still retried before it is dead
   */
  /**
   * How long the bridge keeps what it may delete (docs/retention.md).
   *
   * @param interval how often the archive and retention jobs run
   * @param deliveredEvents outbox events delivered longer ago than this are deleted; zero keeps
   *     them
   */
  public record Retention(Duration interval, Duration deliveredEvents) {}

  public record Retry(
      Duration base, Duration max, double jitter, Duration horizon, Duration requestTimeout) {}
}
