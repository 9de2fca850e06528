package io.aftercare.diagnostics.cases;

import static org.assertj.core.api.Assertions.assertThat;

import io.aftercare.diagnostics.condition.ConditionCompiler;
import io.aftercare.diagnostics.rules.Rule;
import io.aftercare.diagnostics.rules.RuleLoader;
import io.aftercare.diagnostics.rules.RuleSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Runs every rule case in src/test/resources/rule-cases against the default pack. */
class RuleCaseSuiteTest {
  private static final RuleSet DEFAULT_PACK = loadDefaultPack();
  private static final List<RuleCase> CASES = new RuleCaseReader().readAll();

  private static RuleSet loadDefaultPack() {
    try {
      return new RuleLoader(new ConditionCompiler()).loadDefaults();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @TestFactory
  Stream<DynamicTest> everyCaseProducesExactlyTheExpectedAlarmChanges() {
    RuleCaseRunner runner = new RuleCaseRunner(DEFAULT_PACK);
    return CASES.stream()
        .map(
            ruleCase ->
                DynamicTest.dynamicTest(
                    ruleCase.toString(),
                    () ->
                        assertThat(runner.run(ruleCase))
                            .as(ruleCase.toString())
                            .containsExactlyElementsOf(RuleCaseRunner.expected(ruleCase))));
  }

  @Test
  void everyDefaultRuleHasAPositiveAndANegativeCase() {
    for (Rule rule : DEFAULT_PACK.rules()) {
      List<RuleCase> about = CASES.stream().filter(c -> c.rule().equals(rule.id())).toList();
      assertThat(about)
          .as("positive case (expects RAISED) for rule '%s'", rule.id())
          .anyMatch(RuleCase::isPositive);
      assertThat(about)
          .as("negative case (expects no RAISED) for rule '%s'", rule.id())
          .anyMatch(c -> !c.isPositive());
    }
  }

  @Test
  void everyCaseNamesARuleOfTheDefaultPack() {
    assertThat(CASES)
        .allSatisfy(c -> assertThat(DEFAULT_PACK.rule(c.rule())).as(c.toString()).isPresent());
  }
}
