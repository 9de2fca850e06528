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
 * @param incidents the targets of the incident clocks (docs/incidents.md)
 * @param complaints the target of the complaint response clock (docs/complaints.md)
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
    Incidents incidents,
    Complaints complaints) {

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
  public record Retry(
      Duration base, Duration max, double jitter, Duration horizon, Duration requestTimeout) {}

  /**
   * Incident clock targets, each from the declaration.
   *
   * @param respond the response target per level: general, significant, major, especially_major
   * @param firstHandling to the start of the first handling
   * @param closure to the loop closed (closed after its review)
   */
  public record Incidents(
      Map<String, Duration> respond, Duration firstHandling, Duration closure) {}

  /**
   * @param respond from receipt of a complaint to the answer to the customer
   */
  public record Complaints(Duration respond) {}
}
