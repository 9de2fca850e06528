package io.aftercare.bridge;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.time.Duration;
import java.util.List;
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
 * @param customerCare quotes, the customer's link, acceptance and follow-up (docs/tickets.md,
 *     "Acceptance and follow-up"; docs/customer-api.md)
 * @param archiveAfter a closed or cancelled case is archived this long after its last change
 *     (docs/retention.md)
 * @param reportedDiagnosticsWindow a customer-reported case carries the device's diagnostic
 *     sessions started within this time before its receipt
 * @param incidents the targets of the incident clocks (docs/incidents.md)
 * @param complaints the target of the complaint response clock (docs/complaints.md)
 */
public record BridgeConfig(
    boolean enabled,
    Connector connector,
    boolean outboundAllowPrivate,
    Priorities priority,
    Sla sla,
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
    Duration reportedDiagnosticsWindow,
    CustomerCare customerCare,
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
   * @param zone the time zone of the window and of the holidays
   * @param holidays public holidays ({@code yyyy-MM-dd}) on which no working hours count; they
   *     matter only when {@code workingHours} is set (a 24/7 calendar counts every hour)
   */
  public record Calendar(
      String workingHours,
      String zone,
      @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> holidays) {}

  /**
   * The SLA targets (docs/tickets.md, "SLA clocks").
   *
   * @param targets per priority (P1..P4): every priority needs all three targets
   * @param overrides named overrides, in the order written; see {@link SlaOverride}
   */
  public record Sla(Map<String, SlaTarget> targets, Map<String, SlaOverride> overrides) {}

  /**
   * Targets of one priority: first response (receipt to first contact), arrangement (receipt to a
   * confirmed appointment or remote session) and repair (start of work to resolved, minus pauses).
   */
  public record SlaTarget(Duration respond, Duration arrange, Duration repair) {}

  /**
   * Targets for the cases an override matches: those of its service type, customer tier and/or
   * priority (an unset matcher matches any). Each target it sets replaces the priority's; the most
   * specific matching override (most matchers set) that sets a target wins, the first written among
   * equally specific ones.
   */
  public record SlaOverride(
      String serviceType,
      String customerTier,
      String priority,
      Duration respond,
      Duration arrange,
      Duration repair) {}

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

  /**
   * @param followUpDue the follow-up (return visit or call) created at resolution is due this long
   *     after it
   * @param unreachableAttempts follow-up attempts that found the customer unreachable, after which
   *     a case may close without the customer's acceptance
   * @param linkValidFor how long a customer link is valid when staff name no period
   * @param linkMaxValidFor the longest period staff may ask for
   * @param linkSecret the key customer links are signed with (base64, at least 32 bytes); the
   *     platform fills it in from a file under its data folder when none is configured
   */
  public record CustomerCare(
      Duration followUpDue,
      int unreachableAttempts,
      Duration linkValidFor,
      Duration linkMaxValidFor,
      String linkSecret) {

    /** The same settings with the signing key the platform resolved. */
    public CustomerCare withLinkSecret(String secret) {
      return new CustomerCare(
          followUpDue, unreachableAttempts, linkValidFor, linkMaxValidFor, secret);
    }

    @Override
    public String toString() {
      return "CustomerCare[followUpDue="
          + followUpDue
          + ", unreachableAttempts="
          + unreachableAttempts
          + ", linkValidFor="
          + linkValidFor
          + ", linkMaxValidFor="
          + linkMaxValidFor
          + ", linkSecret=<hidden>]";
    }
  }

  /** The same settings with other customer-care settings (the platform's resolved link key). */
  public BridgeConfig withCustomerCare(CustomerCare care) {
    return new BridgeConfig(
        enabled,
        connector,
        outboundAllowPrivate,
        priority,
        sla,
        warningRatio,
        calendar,
        retry,
        inboundTolerance,
        warrantyMonths,
        pollInterval,
        escalationInterval,
        deliveryWorkers,
        episodeWindow,
        reopenWindow,
        archiveAfter,
        retention,
        reportedDiagnosticsWindow,
        care,
        incidents,
        complaints);
  }

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
