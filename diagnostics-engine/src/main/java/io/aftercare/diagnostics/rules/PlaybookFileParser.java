package io.aftercare.diagnostics.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.diagnostics.condition.Condition;
import io.aftercare.diagnostics.condition.ConditionCompiler;
import io.aftercare.diagnostics.condition.ConditionScope;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns the YAML tree of one playbook file ({@code playbooks:} at the top) into validated {@link
 * Playbook}s. Problems are appended to the caller's error list as "file: playbook 'x': field
 * 'steps[1].command': message"; a playbook with any problem is left out.
 */
final class PlaybookFileParser {
  static final String ROOT = "playbooks";

  private static final Pattern IDENTIFIER = Pattern.compile("[a-z][a-z0-9_]{0,63}");
  private static final Set<String> PLAYBOOK_FIELDS = Set.of("id", "description", "steps");
  private static final Set<String> STEP_FIELDS =
      Set.of("name", "command", "params", "precondition", "max_per_day", "expect", "on_failure");

  private final ConditionCompiler compiler;
  private final RemedyCheck remedyCheck;

  PlaybookFileParser(ConditionCompiler compiler, RemedyCheck remedyCheck) {
    this.compiler = compiler;
    this.remedyCheck = remedyCheck;
  }

  List<Playbook> parse(String fileName, JsonNode root, List<String> errors) {
    List<Playbook> playbooks = new ArrayList<>();
    JsonNode list = root.get(ROOT);
    if (!list.isArray()) {
      errors.add(fileName + ": expected a top-level 'playbooks:' list");
      return playbooks;
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode node = list.get(i);
      String id = node.path("id").asText("");
      List<String> playbookErrors = new ArrayList<>();
      FieldReader reader =
          new FieldReader(
              node,
              fileName + ": playbook '" + (id.isEmpty() ? "#" + (i + 1) : id) + "'",
              "",
              playbookErrors,
              compiler);
      reader.rejectUnknownFields(PLAYBOOK_FIELDS, "is not a field of a playbook");
      if (!IDENTIFIER.matcher(id).matches()) {
        reader.error("id", "is required and must match [a-z][a-z0-9_]{0,63}");
      } else if (!seen.add(id)) {
        reader.error("id", "is defined twice in this file");
      }
      List<Remedy> steps = parseSteps(id, reader);
      if (playbookErrors.isEmpty()) {
        playbooks.add(new Playbook(id, reader.text("description", false), fileName, steps));
      }
      errors.addAll(playbookErrors);
    }
    return playbooks;
  }

  private List<Remedy> parseSteps(String playbookId, FieldReader reader) {
    List<Remedy> steps = new ArrayList<>();
    JsonNode list = reader.raw("steps");
    if (list == null || !list.isArray() || list.isEmpty()) {
      reader.error("steps", "is required: a non-empty list of steps");
      return steps;
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      FieldReader item = reader.nested(list.get(i), "steps[" + i + "]");
      item.rejectUnknownFields(STEP_FIELDS, "is not a field of a playbook step");
      String name = item.text("name", true);
      if (name != null && !IDENTIFIER.matcher(name).matches()) {
        item.error("name", "must match [a-z][a-z0-9_]{0,63}");
      } else if (name != null && !names.add(name)) {
        item.error("name", "is used by an earlier step");
      }
      Condition precondition = item.condition("precondition", ConditionScope.PRECONDITION, false);
      Condition expect = item.condition("expect", ConditionScope.EXPECT, false);
      Integer maxPerDay = item.has("max_per_day") ? item.integer("max_per_day", 1, 1, 1000) : null;
      PlaybookStep step =
          new PlaybookStep(
              playbookId,
              name,
              precondition == null ? null : precondition.source(),
              maxPerDay,
              expect == null ? null : expect.source(),
              item.enumValue("on_failure", OnFailure.class, OnFailure.NEXT));
      Remedy remedy = RemedyReader.read(item, step, remedyCheck);
      if (remedy != null) {
        steps.add(remedy);
      }
    }
    return steps;
  }
}
