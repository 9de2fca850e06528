package io.aftercare.diagnostics.rules;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable, fully validated collection of rules with unique ids, in a stable order, and the
 * playbooks loaded with them (which staff may also start on a device).
 */
public final class RuleSet {
  private final List<Rule> rules;
  private final Map<String, Rule> byId;
  private final Map<String, Playbook> playbooks;

  public RuleSet(List<Rule> rules) {
    this(rules, Map.of());
  }

  public RuleSet(List<Rule> rules, Map<String, Playbook> playbooks) {
    Map<String, Rule> index = new LinkedHashMap<>();
    for (Rule rule : rules) {
      if (index.put(rule.id(), rule) != null) {
        throw new IllegalArgumentException("duplicate rule id " + rule.id());
      }
    }
    this.rules = List.copyOf(rules);
    this.byId = Map.copyOf(index);
    this.playbooks = Map.copyOf(playbooks);
  }

  public List<Rule> rules() {
    return rules;
  }

  public Optional<Rule> rule(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  public Optional<Playbook> playbook(String id) {
    return Optional.ofNullable(playbooks.get(id));
  }

  /** Every loaded playbook, by id. */
  public List<Playbook> playbooks() {
    return playbooks.values().stream().sorted(Comparator.comparing(Playbook::id)).toList();
  }
}
