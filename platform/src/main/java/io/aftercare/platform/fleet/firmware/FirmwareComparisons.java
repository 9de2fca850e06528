package io.aftercare.platform.fleet.firmware;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Builds the firmware comparison from what the fleet ran and what it raised: per model, its
 * versions in release order, each with its rate per rule and the comparison with the version before
 * it on the same model. A rule that raised anything on a model is reported for all its versions,
 * with zero alarms where it raised none.
 */
public final class FirmwareComparisons {

  private FirmwareComparisons() {}

  /** Per model, in model order. Alarm counts of versions without exposure are left out. */
  public static List<ModelReport> build(
      List<VersionExposure> exposures, List<RuleAlarmCount> counts, GuardThresholds limits) {
    Map<String, TreeMap<String, VersionExposure>> versionsByModel = new TreeMap<>();
    for (VersionExposure exposure : exposures) {
      versionsByModel
          .computeIfAbsent(exposure.model(), m -> new TreeMap<>(FirmwareVersionOrder.INSTANCE))
          .put(exposure.firmware(), exposure);
    }
    Map<String, TreeSet<String>> rulesByModel = new HashMap<>();
    Map<List<String>, Long> alarms = new HashMap<>();
    for (RuleAlarmCount count : counts) {
      if (!versionsByModel.containsKey(count.model())) {
        continue;
      }
      rulesByModel.computeIfAbsent(count.model(), m -> new TreeSet<>()).add(count.ruleId());
      alarms.merge(
          List.of(count.model(), count.firmware(), count.ruleId()), count.alarms(), Long::sum);
    }
    List<ModelReport> models = new ArrayList<>();
    versionsByModel.forEach(
        (model, versions) -> {
          List<VersionReport> reports = new ArrayList<>();
          VersionExposure previous = null;
          for (VersionExposure version : versions.values()) {
            List<RuleRate> rules = new ArrayList<>();
            for (String ruleId : rulesByModel.getOrDefault(model, new TreeSet<>())) {
              RateEstimate rate =
                  PoissonRates.rate(
                      alarms.getOrDefault(List.of(model, version.firmware(), ruleId), 0L),
                      version.deviceDays(),
                      limits.significance());
              RateComparison comparison = null;
              if (previous != null) {
                RateEstimate before =
                    PoissonRates.rate(
                        alarms.getOrDefault(List.of(model, previous.firmware(), ruleId), 0L),
                        previous.deviceDays(),
                        limits.significance());
                comparison = PoissonRates.compare(previous.firmware(), rate, before, limits);
              }
              rules.add(new RuleRate(ruleId, rate, comparison));
            }
            reports.add(
                new VersionReport(
                    version.firmware(), version.devices(), version.deviceDays(), rules));
            previous = version;
          }
          models.add(new ModelReport(model, reports));
        });
    models.sort(Comparator.comparing(ModelReport::model));
    return models;
  }

  /** One model's versions in release order. */
  public record ModelReport(String model, List<VersionReport> versions) {}

  /**
   * One version.
   *
   * @param devices the devices that ran it at some time in the period
   * @param deviceDays the days they ran it in the period, summed
   */
  public record VersionReport(
      String firmware, long devices, double deviceDays, List<RuleRate> rules) {}

  /** One rule's rate on a version; {@code comparison} null for a model's first version. */
  public record RuleRate(String ruleId, RateEstimate rate, RateComparison comparison) {}
}
