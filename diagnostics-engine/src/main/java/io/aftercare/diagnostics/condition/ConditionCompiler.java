package io.aftercare.diagnostics.condition;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.EnumMap;
import java.util.Map;

/**
 * Compiles rule conditions with CEL, the safe part of rule files.
 *
 * <p>CEL is not Turing-complete: no loops beyond macros over finite inputs, no recursion, no I/O,
 * no reflection. The environment declares only the standard library and the variables of a {@link
 * ConditionScope}; any other identifier or function is a type-check error at load time. On top of
 * that, expression size and comprehension iterations are capped so that one condition's cost is
 * bounded regardless of what an operator writes.
 */
public final class ConditionCompiler {
  /** Longest condition source accepted; rules are one-liners, this is generous. */
  public static final int MAX_SOURCE_LENGTH = 500;

  private static final CelOptions OPTIONS =
      CelOptions.current()
          .enableHeterogeneousNumericComparisons(true)
          .comprehensionMaxIterations(256)
          .maxParseExpressionNodeCount(200)
          .maxParseRecursionDepth(32)
          .maxRegexProgramSize(100)
          .build();

  private final Map<ConditionScope, CelCompiler> compilers = new EnumMap<>(ConditionScope.class);
  private final CelRuntime runtime =
      CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();

  public ConditionCompiler() {
    for (ConditionScope scope : ConditionScope.values()) {
      CelCompilerBuilder builder =
          CelCompilerFactory.standardCelCompilerBuilder()
              .setOptions(OPTIONS)
              .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
              .setResultType(SimpleType.BOOL);
      scope.variables().forEach(builder::addVar);
      compilers.put(scope, builder.build());
    }
  }

  /**
   * Parses, type-checks and plans {@code source}.
   *
   * @throws InvalidConditionException with CEL's message when the source is not a valid boolean
   *     expression over the scope's variables
   */
  public Condition compile(String source, ConditionScope scope) {
    if (source.length() > MAX_SOURCE_LENGTH) {
      throw new InvalidConditionException(
          "is longer than " + MAX_SOURCE_LENGTH + " characters (" + source.length() + ")");
    }
    try {
      CelAbstractSyntaxTree ast = compilers.get(scope).compile(source).getAst();
      return new Condition(source, runtime.createProgram(ast));
    } catch (CelValidationException e) {
      throw new InvalidConditionException(firstLine(e.getMessage()));
    } catch (CelEvaluationException e) {
      throw new InvalidConditionException("cannot be planned: " + e.getMessage());
    }
  }

  private static String firstLine(String message) {
    String trimmed = message.replaceFirst("^ERROR: <input>:", "");
    int newline = trimmed.indexOf('\n');
    return newline < 0 ? trimmed : trimmed.substring(0, newline);
  }
}
