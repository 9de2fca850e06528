package io.aftercare.diagnostics.condition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aftercare.diagnostics.eval.SampleVariables;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConditionSafetyTest {
  private final ConditionCompiler compiler = new ConditionCompiler();

  @Test
  void functionsOutsideTheStandardLibraryDoNotExist() {
    assertThatThrownBy(() -> compiler.compile("exec('rm -rf /') == ''", ConditionScope.SAMPLE))
        .isInstanceOf(InvalidConditionException.class)
        .hasMessageContaining("undeclared reference to 'exec'");
    assertThatThrownBy(
            () -> compiler.compile("java.lang.System.exit(1) == 0", ConditionScope.SAMPLE))
        .isInstanceOf(InvalidConditionException.class);
  }

  @Test
  void variablesOutsideTheScopeDoNotExist() {
    assertThatThrownBy(() -> compiler.compile("value > 3", ConditionScope.EVENT))
        .hasMessageContaining("undeclared reference to 'value'");
    assertThatThrownBy(() -> compiler.compile("env.HOME == ''", ConditionScope.SAMPLE))
        .hasMessageContaining("undeclared reference to 'env'");
  }

  @Test
  void aConditionMustBeBoolean() {
    assertThatThrownBy(() -> compiler.compile("value + 1.0", ConditionScope.SAMPLE))
        .isInstanceOf(InvalidConditionException.class);
  }

  @Test
  void sizeIsBoundedAtLoadTime() {
    assertThatThrownBy(
            () -> compiler.compile("value > 1 || ".repeat(50) + "true", ConditionScope.SAMPLE))
        .hasMessageContaining("longer than 500");
    assertThatThrownBy(
            () -> compiler.compile("1" + "+1".repeat(220) + " > 0", ConditionScope.SAMPLE))
        .isInstanceOf(InvalidConditionException.class);
  }

  @Test
  void nestedComprehensionsStopAtTheIterationCap() {
    Condition cubic =
        compiler.compile(
            "metrics.all(a, metrics.all(b, metrics.all(c, metrics[a] + metrics[b] >= metrics[c] - 1e9)))",
            ConditionScope.SAMPLE);
    Map<String, Double> metrics = new HashMap<>();
    for (int i = 0; i < 64; i++) {
      metrics.put("m" + i, (double) i);
    }
    SampleVariables variables = new SampleVariables();
    variables.set(1, 1, metrics, Map.of());

    // Evaluated in full (64^3 iterations) the condition is true for any metrics, as it is for four
    // (4^3, under the cap of 256); false can only mean that the cap stopped it, which counts as
    // false. No stopwatch needed.
    assertThat(cubic.test(variables)).isFalse();
    SampleVariables few = new SampleVariables();
    few.set(1, 1, Map.of("m0", 0.0, "m1", 1.0, "m2", 2.0, "m3", 3.0), Map.of());
    assertThat(cubic.test(few)).isTrue();
  }

  @Test
  void missingMetricMakesTheConditionFalseInsteadOfFailing() {
    Condition condition = compiler.compile("metrics.door_open == 1.0", ConditionScope.SAMPLE);
    SampleVariables variables = new SampleVariables();
    variables.set(5, 5, Map.of("fridge_temp_c", 5.0), Map.of());

    assertThat(condition.test(variables)).isFalse();
  }

  @Test
  void integerLiteralsCompareWithDoubleValues() {
    Condition condition = compiler.compile("value > 70", ConditionScope.SAMPLE);
    SampleVariables variables = new SampleVariables();
    variables.set(70.5, 70, Map.of(), Map.of());

    assertThat(condition.test(variables)).isTrue();
  }
}
