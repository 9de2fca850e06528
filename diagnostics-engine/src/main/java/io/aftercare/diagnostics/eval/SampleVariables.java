package io.aftercare.diagnostics.eval;

import dev.cel.runtime.CelVariableResolver;
import java.util.Map;
import java.util.Optional;

/**
 * The CEL variables of one metric sample: {@code value}, {@code previous}, {@code delta}, {@code
 * metrics} and {@code device}. One instance is reused for every sample an engine evaluates, so the
 * hot path does not build a map per evaluation.
 */
public final class SampleVariables implements CelVariableResolver {
  private double value;
  private double previous;
  private double delta;
  private Map<String, Double> metrics = Map.of();
  private Map<String, String> device = Map.of();

  /** Points the variables at a new sample; {@code delta} starts as {@code value - previous}. */
  public void set(
      double value, double previous, Map<String, Double> metrics, Map<String, String> device) {
    this.value = value;
    this.previous = previous;
    this.delta = value - previous;
    this.metrics = metrics;
    this.device = device;
  }

  public double value() {
    return value;
  }

  /** Rate-of-change rules replace the sample-to-sample delta by the change over their window. */
  void setDelta(double delta) {
    this.delta = delta;
  }

  @Override
  public Optional<Object> find(String name) {
    return switch (name) {
      case "value" -> Optional.of(value);
      case "previous" -> Optional.of(previous);
      case "delta" -> Optional.of(delta);
      case "metrics" -> Optional.of(metrics);
      case "device" -> Optional.of(device);
      default -> Optional.empty();
    };
  }
}
