package io.aftercare.diagnostics.rules;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The playbook's part of a step: which playbook and step it is, when it may run and what happens
 * when it fails. The command itself is the enclosing {@link Remedy}'s. Stored with the alarm as it
 * was when the alarm was raised, so conditions are kept as their source text.
 *
 * @param precondition CEL over the device's latest {@code metrics}, or {@code null}: when false,
 *     the step is skipped
 * @param maxPerDay at most this many commands of the step's name to the device per UTC day
 *     (counting every sender), or {@code null} for no limit: beyond it the step is skipped
 * @param expect CEL over the device's telemetry in the verification window ({@code min}, {@code
 *     max}, {@code latest} per metric), or {@code null}: when a rule's step is verified, the fix
 *     holds only if this holds too
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PlaybookStep(
    String playbook,
    String name,
    String precondition,
    Integer maxPerDay,
    String expect,
    OnFailure onFailure) {

  public PlaybookStep {
    onFailure = onFailure == null ? OnFailure.NEXT : onFailure;
  }
}
