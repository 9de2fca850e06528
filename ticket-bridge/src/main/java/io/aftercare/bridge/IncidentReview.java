package io.aftercare.bridge;

/**
 * The post-incident report an incident needs before it closes (docs/incidents.md). Each field is
 * required and refused naming it when missing or too long.
 *
 * @param summary what happened and what it affected
 * @param rootCause why it happened
 * @param actions what is done so that it does not happen again
 */
public record IncidentReview(String summary, String rootCause, String actions) {

  public static final int MAX_TEXT = 4000;

  public IncidentReview {
    summary = DeskText.required(summary, "summary", MAX_TEXT);
    rootCause = DeskText.required(rootCause, "rootCause", MAX_TEXT);
    actions = DeskText.required(actions, "actions", MAX_TEXT);
  }
}
