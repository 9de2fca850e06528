package io.aftercare.bridge;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Picks the three SLA targets of a case from {@code tickets.sla}: the priority's targets, replaced
 * target by target by the most specific matching override (docs/tickets.md, "Which target
 * applies"). The configuration is checked once, when the bridge starts.
 */
public final class SlaTargets {

  /** The service type of a detected fault, which has none of its own. */
  static final String DETECTED_SERVICE_TYPE = "repair";

  private final Map<Priority, BridgeConfig.SlaTarget> byPriority = new EnumMap<>(Priority.class);
  private final List<BridgeConfig.SlaOverride> overrides;

  /**
   * @throws IllegalArgumentException when a priority lacks a target or an override is malformed
   */
  public SlaTargets(BridgeConfig.Sla sla) {
    for (Priority priority : Priority.values()) {
      BridgeConfig.SlaTarget target = sla.targets().get(priority.wireName());
      if (target == null
          || target.respond() == null
          || target.arrange() == null
          || target.repair() == null) {
        throw new IllegalArgumentException(
            "tickets.sla.targets." + priority.wireName() + " needs respond, arrange and repair");
      }
      byPriority.put(priority, target);
    }
    Map<String, BridgeConfig.SlaOverride> named =
        sla.overrides() == null ? Map.of() : sla.overrides();
    named.forEach(SlaTargets::check);
    // A stable sort keeps the written order among equally specific overrides.
    List<BridgeConfig.SlaOverride> sorted = new ArrayList<>(named.values());
    sorted.sort(Comparator.comparingInt(SlaTargets::specificity).reversed());
    this.overrides = List.copyOf(sorted);
  }

  /**
   * @param serviceType null for a detected fault, which counts as a repair
   * @param customerTier null when the customer is unknown: only overrides without a tier match
   */
  public BridgeConfig.SlaTarget of(Priority priority, String serviceType, String customerTier) {
    String service = serviceType == null ? DETECTED_SERVICE_TYPE : serviceType;
    List<BridgeConfig.SlaOverride> matching =
        overrides.stream()
            .filter(o -> matches(o.priority(), priority.wireName()))
            .filter(o -> matches(o.serviceType(), service))
            .filter(o -> matches(o.customerTier(), customerTier))
            .toList();
    BridgeConfig.SlaTarget base = byPriority.get(priority);
    return new BridgeConfig.SlaTarget(
        pick(matching, BridgeConfig.SlaOverride::respond, base.respond()),
        pick(matching, BridgeConfig.SlaOverride::arrange, base.arrange()),
        pick(matching, BridgeConfig.SlaOverride::repair, base.repair()));
  }

  private static Duration pick(
      List<BridgeConfig.SlaOverride> mostSpecificFirst,
      Function<BridgeConfig.SlaOverride, Duration> target,
      Duration fallback) {
    return mostSpecificFirst.stream()
        .map(target)
        .filter(Objects::nonNull)
        .findFirst()
        .orElse(fallback);
  }

  private static boolean matches(String matcher, String value) {
    return matcher == null || matcher.equals(value);
  }

  private static int specificity(BridgeConfig.SlaOverride override) {
    int set = 0;
    for (String matcher :
        new String[] {override.serviceType(), override.customerTier(), override.priority()}) {
      if (matcher != null) {
        set++;
      }
    }
    return set;
  }

  private static void check(String name, BridgeConfig.SlaOverride override) {
    String key = "tickets.sla.overrides." + name;
    if (specificity(override) == 0) {
      throw new IllegalArgumentException(
          key + " must match a serviceType, customerTier or priority");
    }
    if (override.respond() == null && override.arrange() == null && override.repair() == null) {
      throw new IllegalArgumentException(key + " must set respond, arrange or repair");
    }
    if (override.serviceType() != null
        && !ReportedCase.SERVICE_TYPES.contains(override.serviceType())) {
      throw new IllegalArgumentException(
          key + ".serviceType must be one of " + ReportedCase.SERVICE_TYPES);
    }
    if (override.priority() != null) {
      try {
        Priority.fromWireName(override.priority());
      } catch (BridgeException e) {
        throw new IllegalArgumentException(key + ".priority must be P1 to P4", e);
      }
    }
  }
}
