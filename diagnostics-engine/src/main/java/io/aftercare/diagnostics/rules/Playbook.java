package io.aftercare.diagnostics.rules;

import java.util.List;

/**
 * An ordered list of remote steps that fix one kind of fault, tried one after the other until one's
 * fix holds. Each step is a {@link Remedy} carrying its {@link PlaybookStep}.
 */
public record Playbook(String id, String description, String sourceFile, List<Remedy> steps) {

  public Playbook {
    steps = List.copyOf(steps);
  }
}
