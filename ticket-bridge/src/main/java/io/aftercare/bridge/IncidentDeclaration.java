package io.aftercare.bridge;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A declared incident (docs/incidents.md): staff declare one through the API, and a mass-outage
 * detector may declare one through the same {@link IncidentDeclarations}. Invalid values are
 * refused naming the field.
 *
 * @param deviceIds the affected devices (each must exist), without repeats; may be empty while the
 *     scope is unknown
 * @param customerRefs the affected customers, as references into the customer system
 */
public record IncidentDeclaration(
    IncidentLevel level,
    String title,
    String description,
    List<String> deviceIds,
    List<String> customerRefs) {

  public static final int MAX_TITLE = 200;
  public static final int MAX_DESCRIPTION = 4000;
  public static final int MAX_REFS = 1000;
  private static final int MAX_REF = 200;

  public IncidentDeclaration {
    if (level == null) {
      throw new BridgeException(BridgeException.Kind.INVALID, "'level' is required");
    }
    title = DeskText.required(title, "title", MAX_TITLE);
    description = DeskText.required(description, "description", MAX_DESCRIPTION);
    deviceIds = refs(deviceIds, "deviceIds");
    customerRefs = refs(customerRefs, "customerRefs");
  }

  /** Reads the level from its wire name, then checks the rest. */
  public static IncidentDeclaration of(
      String level,
      String title,
      String description,
      List<String> deviceIds,
      List<String> customerRefs) {
    return new IncidentDeclaration(
        IncidentLevel.fromWireName(level), title, description, deviceIds, customerRefs);
  }

  private static List<String> refs(List<String> values, String field) {
    if (values == null) {
      return List.of();
    }
    if (values.size() > MAX_REFS) {
      throw new BridgeException(
          BridgeException.Kind.INVALID, "'" + field + "' has more than " + MAX_REFS + " entries");
    }
    Set<String> distinct = new LinkedHashSet<>();
    for (String value : values) {
      distinct.add(DeskText.required(value, field, MAX_REF));
    }
    return List.copyOf(distinct);
  }
}
