package io.aftercare.diagnostics.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.aftercare.diagnostics.condition.ConditionCompiler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleLoaderValidationTest {
  private final RuleLoader loader = new RuleLoader(new ConditionCompiler());

  @TempDir Path folder;

  @Test
  void defaultPackLoadsOnItsOwn() throws Exception {
    assertThat(loader.loadDefaults().rules()).extracting(Rule::id).contains("battery_low");
  }

  @Test
  void everyProblemNamesFileRuleAndField() throws IOException {
    write(
        "bad.yaml",
        """
        rules:
          - id: hot
            kind: threshold
            metric: device_temp_c
            levels:
              - {severity: major, when: "value > 70 && temprature > 3"}
            category: device_fault
          - id: flaky
            kind: flapping
            windw: 10m
            levels:
              - {severity: minor, count: 3}
            category: connectivity
          - id: slow
            kind: duration
            metric: power_w
            for: ten minutes
            levels:
              - {severity: major, when: "value > 3"}
              - {severity: minor, when: "value > 5"}
            category: hardware
        """);

    List<String> errors = errorsOf(folder);

    String file = folder.resolve("bad.yaml").toString();
    assertThat(errors)
        .anySatisfy(
            e ->
                assertThat(e)
                    .startsWith(file + ": rule 'hot': field 'levels[0].when': invalid CEL")
                    .contains("temprature"))
        .contains(
            file + ": rule 'flaky': field 'windw': is not a field of a flapping rule",
            file + ": rule 'flaky': field 'window': is required")
        .anySatisfy(
            e -> assertThat(e).startsWith(file + ": rule 'slow': field 'for': 'ten minutes'"))
        .anySatisfy(
            e ->
                assertThat(e)
                    .startsWith(file + ": rule 'slow': field 'levels[1].severity': levels must")
                    .contains("least to most severe"))
        .anySatisfy(
            e -> assertThat(e).startsWith(file + ": rule 'slow': field 'category': 'hardware'"));
  }

  @Test
  void kindSpecificRequirementsAreChecked() throws IOException {
    write(
        "kinds.yaml",
        """
        rules:
          - id: no_metric
            kind: threshold
            levels: [{severity: minor, when: "value > 1"}]
            category: software
          - id: event_without_filter
            kind: event
            window: 1h
            levels: [{severity: minor, when: "value > 1"}]
            category: software
          - id: Bad-Id
            kind: absence
            levels: [{severity: major, after: 10m}]
            category: connectivity
        """);

    String file = folder.resolve("kinds.yaml").toString();
    assertThat(errorsOf(folder))
        .contains(
            file + ": rule 'no_metric': field 'metric': is required",
            file + ": rule 'event_without_filter': field 'event': is required",
            file + ": rule 'event_without_filter': field 'levels[0].count': is required")
        .anySatisfy(e -> assertThat(e).startsWith(file + ": rule 'Bad-Id': field 'id'"));
  }

  @Test
  void forecastFieldsAreCheckedAndNamed() throws IOException {
    write(
        "forecast.yaml",
        """
        rules:
          - id: drain
            kind: forecast
            metric: battery_pct
            window: 10m
            confidence: 1.5
            max_points: 20
            min_points: 50
            min_span: 20m
            clear_beyond: 1h
            levels:
              - {severity: warning, within: 6h}
              - {severity: major, within: 12h}
            category: device_fault
          - id: drain_without_window
            kind: forecast
            metric: battery_pct
            limit: zero
            max_samples: 10
            levels: [{severity: warning, after: 6h}]
            category: device_fault
        """);

    String file = folder.resolve("forecast.yaml").toString();
    String drain = file + ": rule 'drain': field ";
    String other = file + ": rule 'drain_without_window': field ";
    assertThat(errorsOf(folder))
        .contains(
            drain + "'limit': is required",
            drain + "'confidence': must be from 0.5 to 0.9999",
            drain + "'min_points': must not be more than max_points (20)",
            drain + "'min_span': must not be longer than window (PT10M)",
            drain
                + "'levels[1].severity': levels must be listed from least to most severe, each"
                + " with a shorter within",
            other + "'window': is required",
            other + "'limit': must be a number",
            other + "'max_samples': is not a field of a forecast rule",
            other + "'levels[0].within': is required")
        .anySatisfy(
            e ->
                assertThat(e)
                    .startsWith(drain + "'clear_beyond': must be at least the longest horizon"))
        .anySatisfy(e -> assertThat(e).startsWith(other + "'levels[0].after': is not used"));
  }

  @Test
  void forecastRuleDefaultsFollowItsWindowAndHorizon() throws Exception {
    write(
        "forecast.yaml",
        """
        rules:
          - id: storage_drain
            kind: forecast
            metric: storage_free_pct
            window: 30m
            limit: 2.5
            levels: [{severity: warning, within: 24h}]
            category: software
        """);

    ForecastSettings settings = loader.load(folder).rule("storage_drain").orElseThrow().forecast();

    assertThat(settings.limitLabel()).isEqualTo("storage_free_pct reaches 2.5");
    assertThat(settings.minSpan()).isEqualTo(java.time.Duration.ofMinutes(10));
    assertThat(settings.clearBeyond()).isEqualTo(java.time.Duration.ofHours(48));
    assertThat(settings.confidence()).isEqualTo(0.99);
    assertThat(settings.minPoints()).isEqualTo(6);
    assertThat(settings.maxPoints()).isEqualTo(40);
  }

  @Test
  void brokenYamlIsReportedWithItsFile() throws IOException {
    write("broken.yaml", "rules: [ {id: x, kind: threshold");

    assertThat(errorsOf(folder))
        .singleElement()
        .asString()
        .startsWith(folder.resolve("broken.yaml") + ": not valid YAML");
  }

  @Test
  void operatorRuleReplacesDefaultAndCanSwitchOneOff() throws Exception {
    write(
        "site.yaml",
        """
        rules:
          - id: battery_low
            kind: threshold
            device_types: [lock]
            metric: battery_pct
            levels: [{severity: major, when: "value < 30"}]
            category: device_fault
          - id: wifi_weak
            enabled: false
        """);

    RuleSet rules = loader.load(folder);

    assertThat(rules.rule("battery_low").orElseThrow().sourceFile()).endsWith("site.yaml");
    assertThat(rules.rule("wifi_weak")).isEmpty();
    assertThat(rules.rule("device_offline")).isPresent();
  }

  @Test
  void twoOperatorFilesCannotDefineTheSameRule() throws IOException {
    String rule =
        """
        rules:
          - id: extra
            kind: absence
            levels: [{severity: major, after: 10m}]
            category: connectivity
        """;
    write("a.yaml", rule);
    write("b.yaml", rule);

    assertThat(errorsOf(folder))
        .singleElement()
        .asString()
        .contains("b.yaml: rule 'extra': field 'id': already defined in")
        .endsWith("a.yaml");
  }

  private List<String> errorsOf(Path operatorFolder) {
    return catchThrowableOfType(RuleValidationException.class, () -> loader.load(operatorFolder))
        .errors();
  }

  private void write(String name, String text) throws IOException {
    Files.writeString(folder.resolve(name), text);
  }
}
