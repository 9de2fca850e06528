package io.aftercare.platform.sessions;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What a self-test says about the hardware. The command itself {@code succeeded} when the test ran;
 * the verdict is in its output ({@code result: fail}, {@code components: {radio: fail, ...}}).
 *
 * @param failingComponents the components reported {@code fail}, by the catalog's names; {@code
 *     unspecified} when the device reported a failure without naming one
 */
public record SelfTestVerdict(List<String> failingComponents) {

  public SelfTestVerdict {
    failingComponents = List.copyOf(failingComponents);
  }

  /**
   * Reads the report's {@code selfTest} section: {@code status} and the device's {@code output}.
   */
  public static SelfTestVerdict of(JsonNode selfTest) {
    List<String> failing = new ArrayList<>();
    if (!"succeeded".equals(selfTest.path("status").asText())) {
      return new SelfTestVerdict(failing);
    }
    JsonNode output = selfTest.path("output");
    output
        .path("components")
        .properties()
        .forEach(
            component -> {
              if ("fail".equals(component.getValue().asText())) {
                failing.add(component.getKey());
              }
            });
    if (failing.isEmpty() && "fail".equals(output.path("result").asText())) {
      failing.add("unspecified");
    }
    return new SelfTestVerdict(failing);
  }

  public boolean failed() {
    return !failingComponents.isEmpty();
  }
}
