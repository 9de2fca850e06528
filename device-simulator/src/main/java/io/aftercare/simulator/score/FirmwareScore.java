package io.aftercare.simulator.score;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Scores the platform's firmware regression guard against a firmware trial's ground truth: per
 * version, whether the platform flagged it ({@code GET /api/v1/fleet/firmware}: its comparison with
 * its predecessor on the trial's rule says {@code worse}) and whether the guard's fleet alarm for
 * it is active, against whether the trial made it regress. Pure: the API's answer is an argument.
 *
 * @param flagged versions the platform found worse
 * @param trueFlags flagged and regressed
 * @param falseFlags flagged but not regressed
 * @param missed regressed but not flagged (a {@code too_little_data} verdict included)
 * @param alarmsRaised versions with an active fleet alarm of the guard on the rule
 */
public record FirmwareScore(
    String model,
    String rule,
    int regressed,
    int flagged,
    int trueFlags,
    int falseFlags,
    int missed,
    int alarmsRaised,
    List<VersionScore> versions) {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public FirmwareScore {
    versions = List.copyOf(versions);
  }

  /**
   * One version, from its first in the trial (no predecessor: never flagged) on.
   *
   * @param verdict the platform's comparison with the predecessor; null when the platform did not
   *     report the version or, for the first version, has nothing to compare it with
   * @param fleetAlarm whether the guard's fleet alarm for this version and rule is active
   * @param outcome {@code true_flag}, {@code false_flag}, {@code missed} or {@code correct_pass}
   */
  public record VersionScore(
      String firmware,
      String previousFirmware,
      double episodesPerDeviceHour,
      boolean regressed,
      Long alarms,
      Double deviceDays,
      Double perThousandDeviceDays,
      Double rateRatio,
      Double pValue,
      String verdict,
      boolean fleetAlarm,
      String outcome) {}

  /**
   * @param comparison the body of {@code GET /api/v1/fleet/firmware?model=&rule=}
   */
  public static FirmwareScore of(FirmwareTrialTruth truth, JsonNode comparison) {
    JsonNode model = modelOf(comparison, truth.model());
    List<VersionScore> versions = new ArrayList<>();
    int regressed = 0;
    int flagged = 0;
    int trueFlags = 0;
    int falseFlags = 0;
    int missed = 0;
    int alarmsRaised = 0;
    for (FirmwareTrialTruth.Version version : truth.versions()) {
      JsonNode rule = ruleOf(model, version.firmware(), truth.rule());
      JsonNode rate = rule.path("rate");
      JsonNode compared = rule.path("comparison");
      String verdict =
          compared.path("verdict").isTextual() ? compared.get("verdict").asText() : null;
      boolean worse = "worse".equals(verdict);
      boolean alarm = activeAlarm(comparison, truth, version.firmware());
      String outcome;
      if (version.regressed()) {
        outcome = worse ? "true_flag" : "missed";
      } else {
        outcome = worse ? "false_flag" : "correct_pass";
      }
      regressed += version.regressed() ? 1 : 0;
      flagged += worse ? 1 : 0;
      trueFlags += outcome.equals("true_flag") ? 1 : 0;
      falseFlags += outcome.equals("false_flag") ? 1 : 0;
      missed += outcome.equals("missed") ? 1 : 0;
      alarmsRaised += alarm ? 1 : 0;
      versions.add(
          new VersionScore(
              version.firmware(),
              version.previousFirmware(),
              version.episodesPerDeviceHour(),
              version.regressed(),
              rate.path("alarms").isNumber() ? rate.get("alarms").asLong() : null,
              number(rate.path("deviceDays")),
              number(rate.path("perThousandDeviceDays")),
              number(compared.path("rateRatio")),
              number(compared.path("pValue")),
              verdict,
              alarm,
              outcome));
    }
    return new FirmwareScore(
        truth.model(),
        truth.rule(),
        regressed,
        flagged,
        trueFlags,
        falseFlags,
        missed,
        alarmsRaised,
        versions);
  }

  /** Adds this score to a report file {@code score} wrote, as its field {@code firmware}. */
  public void addTo(Path report) {
    try {
      ObjectNode json = (ObjectNode) JSON.readTree(report.toFile());
      json.set("firmware", JSON.valueToTree(this));
      JSON.writeValue(report.toFile(), json);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot add the firmware score to " + report, e);
    }
  }

  /** Lines for the console, after the score's own. */
  public String summary() {
    StringBuilder line =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "firmware %s/%s: regressed=%d flagged=%d true=%d false=%d missed=%d fleet-alarms=%d",
                model,
                rule,
                regressed,
                flagged,
                trueFlags,
                falseFlags,
                missed,
                alarmsRaised));
    for (VersionScore version : versions) {
      line.append(
          String.format(
              Locale.ROOT,
              "%n  %s: truth %s, platform %s (alarms %s, ratio %s, p %s)%s",
              version.firmware(),
              version.previousFirmware() == null
                  ? "first"
                  : version.regressed() ? "regressed" : "not regressed",
              version.verdict() == null ? "n/a" : version.verdict(),
              version.alarms() == null ? "n/a" : version.alarms(),
              version.rateRatio() == null
                  ? "n/a"
                  : String.format(Locale.ROOT, "%.2f", version.rateRatio()),
              version.pValue() == null
                  ? "n/a"
                  : String.format(Locale.ROOT, "%.2g", version.pValue()),
              version.fleetAlarm() ? ", fleet alarm" : ""));
    }
    return line.toString();
  }

  private static JsonNode modelOf(JsonNode comparison, String model) {
    for (JsonNode candidate : comparison.path("models")) {
      if (candidate.path("model").asText().equals(model)) {
        return candidate;
      }
    }
    return MissingNode.getInstance();
  }

  private static JsonNode ruleOf(JsonNode model, String firmware, String ruleId) {
    for (JsonNode version : model.path("versions")) {
      if (version.path("firmware").asText().equals(firmware)) {
        for (JsonNode rule : version.path("rules")) {
          if (rule.path("ruleId").asText().equals(ruleId)) {
            return rule;
          }
        }
      }
    }
    return MissingNode.getInstance();
  }

  private static boolean activeAlarm(
      JsonNode comparison, FirmwareTrialTruth truth, String firmware) {
    for (JsonNode alarm : comparison.path("regressionAlarms")) {
      if (alarm.path("model").asText().equals(truth.model())
          && alarm.path("firmware").asText().equals(firmware)
          && alarm.path("ruleId").asText().equals(truth.rule())
          && alarm.path("status").asText().equals("active")) {
        return true;
      }
    }
    return false;
  }

  private static Double number(JsonNode node) {
    return node.isNumber() ? node.asDouble() : null;
  }
}
