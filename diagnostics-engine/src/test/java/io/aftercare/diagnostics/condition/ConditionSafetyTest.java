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

    long start = System.nanoTime();
    boolean result = cubic.test(variables);
    long millis = (System.nanoTime() - start) / 1_000_000;

    // 64^3 iterations would be needed; the cap aborts the evaluation, which counts as false.
    assertThat(result).isFalse();
    assertThat(millis).isLessThan(1_000);
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
