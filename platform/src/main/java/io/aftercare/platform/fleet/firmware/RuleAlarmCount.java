package io.aftercare.platform.fleet.firmware;

/** The alarms one rule raised on devices of one model running one version, within the period. */
public record RuleAlarmCount(String model, String firmware, String ruleId, long alarms) {}
