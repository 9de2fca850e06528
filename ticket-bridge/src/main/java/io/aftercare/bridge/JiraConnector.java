package io.aftercare.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A Jira (Service Management) style helpdesk over its REST API v2: {@code ticket.opened} creates an
 * issue ({@code POST /rest/api/2/issue}) and remembers its key; every later event becomes a comment
 * on that issue ({@code POST /rest/api/2/issue/{key}/comment}). The field mapping is in
 * docs/tickets.md. Incident and complaint events are refused (they become dead letters): Jira
 * mirrors tickets only.
 *
 * <p>Jira has no idempotency key, so a create whose answer was lost could be repeated: each issue
 * carries the label {@code aftercare-ticket-<id>}, and a retried create first searches for it.
 */
final class JiraConnector implements HelpdeskConnector {

  private static final Map<String, String> PRIORITY_NAMES =
      Map.of("P1", "Highest", "P2", "High", "P3", "Medium", "P4", "Low");

  private final String baseUrl;
  private final BridgeConfig.Jira config;
  private final HelpdeskHttp http;

  JiraConnector(BridgeConfig.Jira config, HelpdeskHttp http) {
    this.baseUrl = config.baseUrl().replaceAll("/+$", "");
    this.config = config;
    this.http = http;
  }

  @Override
  public String name() {
    return "jira";
  }

  @Override
  public DeliveryOutcome deliver(OutboxEvent event) {
    if (event.ticketId() == null) {
      // Jira mirrors tickets as issues; incident and complaint events have no issue to land on.
      return new DeliveryOutcome.Refused(
          "the Jira connector carries ticket events only, not " + event.type());
    }
    JsonNode payload = BridgeJson.read(event.payloadJson());
    JsonNode ticket = payload.get("ticket");
    if (Outbox.OPENED.equals(event.type())) {
      if (event.attempts() > 0) {
        HelpdeskHttp.Answer found = search(label(ticket));
        if (found.failure() != null) {
          return found.failure();
        }
        JsonNode issues = BridgeJson.read(found.body()).path("issues");
        if (issues.size() > 0) {
          return new DeliveryOutcome.Delivered(issues.get(0).path("key").asText());
        }
      }
      HelpdeskHttp.Answer created = post("/rest/api/2/issue", issue(ticket));
      return created.failure() != null
          ? created.failure()
          : new DeliveryOutcome.Delivered(BridgeJson.read(created.body()).path("key").asText());
    }
    if (event.externalRef() == null) {
      return new DeliveryOutcome.Refused("the ticket has no Jira issue to comment on");
    }
    ObjectNode comment = BridgeJson.MAPPER.createObjectNode();
    comment.put(
        "body", commentText(event.type(), ticket) + appointmentText(payload.path("appointment")));
    HelpdeskHttp.Answer answer =
        post("/rest/api/2/issue/" + urlPart(event.externalRef()) + "/comment", comment);
    return answer.failure() != null ? answer.failure() : new DeliveryOutcome.Delivered(null);
  }

  private ObjectNode issue(JsonNode ticket) {
    ObjectNode body = BridgeJson.MAPPER.createObjectNode();
    ObjectNode fields = body.putObject("fields");
    fields.putObject("project").put("key", config.projectKey());
    fields.putObject("issuetype").put("name", config.issueType());
    fields.put(
        "summary",
        "["
            + ticket.path("priority").asText()
            + "] "
            + ticket.path("deviceType").asText()
            + " "
            + ticket.path("deviceId").asText()
            + ": "
            + ticket.path("reason").asText());
    fields.put(
        "description",
        "Aftercare ticket "
            + ticket.path("id").asText()
            + "\nRule: "
            + ticket.path("ruleId").asText()
            + "\nCategory: "
            + ticket.path("category").asText()
            + "\nSeverity: "
            + ticket.path("severity").asText()
            + "\nCustomer: "
            + ticket.path("customerRef").asText("-")
            + " ("
            + ticket.path("customerTier").asText()
            + ")\nEvidence:\n"
            + ticket.path("evidence").toPrettyString());
    fields.putObject("priority").put("name", PRIORITY_NAMES.get(ticket.path("priority").asText()));
    ArrayNode labels = fields.putArray("labels");
    labels.add("aftercare");
    labels.add(label(ticket));
    return body;
  }

  private static String commentText(String type, JsonNode ticket) {
    return "Aftercare "
        + type
        + ": status "
        + ticket.path("status").asText()
        + ", priority "
        + ticket.path("priority").asText()
        + ", support line "
        + ticket.path("tier").asText()
        + ", owner "
        + ticket.path("owner").asText("-")
        + ", assignee "
        + ticket.path("assignee").asText("-");
  }

  /** The window and technician of an appointment event, for the agent to tell the customer. */
  private static String appointmentText(JsonNode appointment) {
    if (appointment.isMissingNode()) {
      return "";
    }
    return "; appointment "
        + appointment.path("status").asText()
        + ": "
        + appointment.path("startsAt").asText()
        + " to "
        + appointment.path("endsAt").asText()
        + ", technician "
        + appointment.path("technician").asText()
        + ", address ref "
        + appointment.path("addressRef").asText("-");
  }

  private static String label(JsonNode ticket) {
    return "aftercare-ticket-" + ticket.path("id").asText();
  }

  private HelpdeskHttp.Answer search(String label) {
    URI uri =
        URI.create(
            baseUrl + "/rest/api/2/search?fields=key&jql=" + urlPart("labels = \"" + label + "\""));
    return http.send(authorized(HttpRequest.newBuilder(uri)).GET(), uri);
  }

  private HelpdeskHttp.Answer post(String path, ObjectNode body) {
    URI uri = URI.create(baseUrl + path);
    return http.send(
        authorized(HttpRequest.newBuilder(uri))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(BridgeJson.write(body))),
        uri);
  }

  private HttpRequest.Builder authorized(HttpRequest.Builder request) {
    return request
        .header("authorization", "Bearer " + config.token())
        .header("accept", "application/json");
  }

  private static String urlPart(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
