package io.aftercare.bridge;

import java.util.Map;

/**
 * Derives a ticket's priority (P1 most urgent .. P4) from the alarm severity, then raises it for
 * customer tiers and device types named in the configured matrix.
 */
public final class PriorityMatrix {

  private static final int LOWEST = 4;

  private final BridgeConfig.Priorities config;

  public PriorityMatrix(BridgeConfig.Priorities config) {
    this.config = config;
  }

  public String priorityOf(String severity, String deviceType, String customerTier) {
    String base = config.bySeverity().getOrDefault(severity, "P" + LOWEST);
    int level = Integer.parseInt(base.substring(1));
    level -= raise(config.raiseForTier(), customerTier);
    level -= raise(config.raiseForDeviceType(), deviceType);
    return "P" + Math.max(1, Math.min(LOWEST, level));
  }

  private static int raise(Map<String, Integer> raises, String key) {
    return raises == null || key == null ? 0 : raises.getOrDefault(key, 0);
  }
}
