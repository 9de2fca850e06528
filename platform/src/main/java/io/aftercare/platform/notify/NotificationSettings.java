package io.aftercare.platform.notify;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The {@code notifications} section of aftercare.yaml: which alarm and ticket events reach staff,
 * through which channel, and how often. No rules (the default): nothing is notified.
 */
public record NotificationSettings(
    Duration pollInterval,
    Duration dedupeWindow,
    int rateLimit,
    Duration rateWindow,
    int digestThreshold,
    boolean outboundAllowPrivate,
    Slack slack,
    Email email,
    Map<String, Rule> rules) {

  public NotificationSettings {
    rules = rules == null ? Map.of() : Map.copyOf(rules);
  }

  /** A Slack-compatible incoming webhook. */
  public record Slack(String webhookUrl) {

    @Override
    public String toString() {
      // The URL's path is the webhook's secret.
      return "Slack[webhookUrl=<hidden>]";
    }
  }

  /** The SMTP server e-mails go through. */
  public record Email(
      String host, int port, String from, String username, String password, boolean startTls) {

    @Override
    public String toString() {
      return "Email[host=" + host + ", port=" + port + ", from=" + from + "]";
    }
  }

  /**
   * What a rule matches (each list empty: any) and where it sends (slack absent: false). Single
   * values are accepted for lists, so that {@code key=value} overrides can set them.
   */
  public record Rule(
      @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> events,
      @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> severities,
      @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> categories,
      @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> deviceTypes,
      @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> regions,
      Boolean slack,
      @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> email) {

    public Rule {
      events = orEmpty(events);
      severities = orEmpty(severities);
      categories = orEmpty(categories);
      deviceTypes = orEmpty(deviceTypes);
      regions = orEmpty(regions);
      email = orEmpty(email);
      slack = Boolean.TRUE.equals(slack);
    }

    boolean matches(NotificationEvent event) {
      return allows(events, event.kind())
          && allows(severities, event.severity())
          && allows(categories, event.category())
          && allows(deviceTypes, event.deviceType())
          && allows(regions, event.region());
    }

    private static boolean allows(List<String> accepted, String value) {
      return accepted.isEmpty() || accepted.contains(value);
    }

    private static List<String> orEmpty(List<String> list) {
      return list == null ? List.of() : List.copyOf(list);
    }
  }
}
