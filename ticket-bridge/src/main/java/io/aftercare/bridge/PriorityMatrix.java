package io.aftercare.bridge;

import java.util.Map;

/**
 * Derives a ticket's priority (P1 most urgent .. P4) from the alarm severity, then raises it for
 * customer tiers and device types named in the configured matrix.
 */
public final class PriorityMatrix {

  private final BridgeConfig.Priorities config;

  public PriorityMatrix(BridgeConfig.Priorities config) {
    this.config = config;
  }

  public Priority priorityOf(Severity severity, String deviceType, String customerTier) {
    String base = config.bySeverity().get(severity.wireName());
    int level = base == null ? Priority.P4.level() : Priority.fromWireName(base).level();
    level -= raise(config.raiseForTier(), customerTier);
    level -= raise(config.raiseForDeviceType(), deviceType);
    return Priority.ofLevel(level);
  }

  private static int raise(Map<String, Integer> raises, String key) {
    return raises == null || key == null ? 0 : raises.getOrDefault(key, 0);
  }
}
