package io.aftercare.diagnostics.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.aftercare.diagnostics.condition.ConditionCompiler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlaybookLoaderTest {
  private final RuleLoader loader = new RuleLoader(new ConditionCompiler());

  @TempDir Path folder;

  private static final String FLAPPING_RULE =
      """
      rules:
        - id: wifi_drops
          kind: event
          event: 'event.type == "wifi"'
          window: 30m
          levels:
            - {severity: minor, count: 3}
          category: connectivity
          playbook: %s
          open_ticket: true
      """;

  @Test
  void aRuleNamingAPlaybookCarriesItsStepsInOrderAsRemedies() throws Exception {
    write(
        "playbooks.yaml",
        """
        playbooks:
          - id: radio_fix
            steps:
              - {name: reset, command: reset_network, precondition: "metrics.battery_pct > 20"}
              - {name: restart, command: reboot, max_per_day: 2, on_failure: ticket}
              - {name: last, command: reboot, precondition: "online && open_commands == 0"}
        """);
    write("rules.yaml", FLAPPING_RULE.formatted("radio_fix"));

    Rule rule = ruleNamed(loader.load(folder), "wifi_drops");

    assertThat(rule.remedies())
        .extracting(Remedy::command)
        .containsExactly("reset_network", "reboot", "reboot");
    PlaybookStep first = rule.remedies().get(0).step();
    assertThat(first.playbook()).isEqualTo("radio_fix");
    assertThat(first.name()).isEqualTo("reset");
    assertThat(first.precondition()).isEqualTo("metrics.battery_pct > 20");
    assertThat(first.maxPerDay()).isNull();
    assertThat(first.onFailure()).isEqualTo(OnFailure.NEXT);
    PlaybookStep second = rule.remedies().get(1).step();
    assertThat(second.maxPerDay()).isEqualTo(2);
    assertThat(second.onFailure()).isEqualTo(OnFailure.TICKET);
  }

  @Test
  void theDefaultPackShipsTheWifiRecoveryPlaybook() throws Exception {
    write("rules.yaml", FLAPPING_RULE.formatted("wifi_recovery"));

    Rule rule = ruleNamed(loader.load(folder), "wifi_drops");

    assertThat(rule.remedies())
        .extracting(r -> r.step().name())
        .containsExactly("reset_network", "reboot");
  }

  @Test
  void everyProblemOfAPlaybookFileNamesFilePlaybookAndField() throws IOException {
    write(
        "playbooks.yaml",
        """
        playbooks:
          - id: broken
            steps:
              - {name: one, command: reset_network, precondition: "metrics.battery_pct >"}
              - {name: one, command: reboot, max_per_day: 0, on_failure: retry, wait: 5m}
              - {command: reboot, expect: "value > -70"}
          - id: empty
            steps: []
          - id: BadId
            steps:
              - {name: x, command: reboot}
        """);

    List<String> errors = errorsOf(folder);

    String file = folder.resolve("playbooks.yaml").toString();
    assertThat(errors)
        .anySatisfy(
            e ->
                assertThat(e)
                    .startsWith(
                        file + ": playbook 'broken': field 'steps[0].precondition': invalid CEL"))
        .contains(
            file + ": playbook 'broken': field 'steps[1].name': is used by an earlier step",
            file
                + ": playbook 'broken': field 'steps[1].max_per_day': must be a whole number from 1 to 1000",
            file
                + ": playbook 'broken': field 'steps[1].on_failure': 'retry' is not one of [next, stop, ticket]",
            file + ": playbook 'broken': field 'steps[1].wait': is not a field of a playbook step",
            file + ": playbook 'broken': field 'steps[2].name': is required",
            file + ": playbook 'empty': field 'steps': is required: a non-empty list of steps",
            file
                + ": playbook 'BadId': field 'id': is required and must match [a-z][a-z0-9_]{0,63}");
  }

  @Test
  void aStepWhoseCommandCannotBeSentIsRefused() throws IOException {
    write(
        "playbooks.yaml",
        """
        playbooks:
          - id: risky
            steps:
              - {name: boom, command: self_destruct}
        """);
    RuleLoader strict =
        new RuleLoader(
            new ConditionCompiler(),
            remedy ->
                remedy.command().equals("self_destruct")
                    ? Optional.of("'self_destruct' is not a command of the command catalog")
                    : Optional.empty());

    RuleValidationException e =
        catchThrowableOfType(RuleValidationException.class, () -> strict.load(folder));

    assertThat(e.errors())
        .containsExactly(
            folder.resolve("playbooks.yaml")
                + ": playbook 'risky': field 'steps[0].command': 'self_destruct' is not a command of"
                + " the command catalog");
  }

  @Test
  void aRuleNamingAnUnknownPlaybookOrAlsoListingRemediesIsRefused() throws IOException {
    write("rules.yaml", FLAPPING_RULE.formatted("no_such_playbook"));
    write(
        "both.yaml",
        """
        rules:
          - id: both
            kind: event
            event: 'event.type == "wifi"'
            window: 30m
            levels:
              - {severity: minor, count: 3}
            category: connectivity
            playbook: wifi_recovery
            remedies:
              - {command: reboot}
        """);

    List<String> errors = errorsOf(folder);

    assertThat(errors)
        .contains(
            folder.resolve("rules.yaml")
                + ": rule 'wifi_drops': field 'playbook': 'no_such_playbook' is not a playbook of"
                + " the rule folders",
            folder.resolve("both.yaml")
                + ": rule 'both': field 'playbook': a rule names a playbook or lists remedies, not"
                + " both");
  }

  @Test
  void aFileHoldsRulesOrPlaybooksNotBoth() throws IOException {
    write("mixed.yaml", "rules: []\nplaybooks: []\n");

    assertThat(errorsOf(folder))
        .containsExactly(
            folder.resolve("mixed.yaml")
                + ": a file holds either 'rules:' or 'playbooks:', not both");
  }

  private static Rule ruleNamed(RuleSet set, String id) {
    return set.rules().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
  }

  private List<String> errorsOf(Path operatorFolder) {
    return catchThrowableOfType(RuleValidationException.class, () -> loader.load(operatorFolder))
        .errors();
  }

  private void write(String name, String text) throws IOException {
    Files.writeString(folder.resolve(name), text);
  }
}
