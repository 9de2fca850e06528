package io.aftercare.simulator.tour;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.simulator.platform.ServiceDeskApi;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * The tour's step (f): a lock command (set_config auto_lock_s) refused without the owner's support
 * session, granted through the case's link, accepted within the session and listed in the session's
 * activity for the owner, then refused again once the owner revoked it (docs/privacy.md, "Support
 * sessions").
 */
final class OwnerConsentStep {

  /** What the step saw: the statuses of the three submissions and the owner's activity. */
  record Outcome(
      int refusedStatus,
      String refusedType,
      String acceptedCommandId,
      int activity,
      int revokedStatus) {}

  static final String CONSENT_REQUIRED = "urn:aftercare:problem:owner-consent-required";
  private static final String SESSIONS = "/api/v1/customer/case/support-sessions";

  private final ServiceDeskApi admin;
  private final PrintStream out;
  private final String runTag;

  OwnerConsentStep(ServiceDeskApi admin, PrintStream out, String runTag) {
    this.admin = admin;
    this.out = out;
    this.runTag = runTag;
  }

  Outcome run(String lockDeviceId, Long lockTicketId) {
    if (lockDeviceId == null || lockTicketId == null) {
      throw new IllegalStateException("no lock case from step (a) to ask its owner");
    }
    String name = "tour-lock-tech-" + runTag;
    JsonNode account = admin.post("/api/v1/staff", Map.of("name", name, "role", "technician"), 201);
    ServiceDeskApi technician = admin.as(account.get("token").asText());
    String commands = "/api/v1/devices/" + lockDeviceId + "/commands";
    Map<String, Object> autoLock =
        Map.of("name", "set_config", "params", Map.of("key", "auto_lock_s", "value", "30"));

    ServiceDeskApi.Answer refused = technician.attempt("POST", commands, autoLock);
    out.printf(
        "    technician %s sets the lock's auto_lock_s without the owner's consent: HTTP %d %s%n",
        name, refused.status(), refused.body().path("type").asText());
    requireRefused(refused, "before the owner granted a session");

    JsonNode link =
        admin.post(
            "/api/v1/tickets/" + lockTicketId + "/customer-links", Map.of("validFor", "1d"), 201);
    ServiceDeskApi owner = admin.as(link.get("token").asText());
    JsonNode session =
        owner.post(SESSIONS, Map.of("commandClasses", List.of("lock"), "validFor", "30m"), 201);
    String sessionId = session.get("id").asText();
    out.printf(
        "    the owner's app grants support session %s on case #%d: %s for %s until %s%n",
        sessionId,
        lockTicketId,
        session.get("commandClasses"),
        session.get("devices"),
        session.get("expiresAt").asText());

    JsonNode accepted = technician.post(commands, autoLock, 202);
    String commandId = accepted.get("commandId").asText();
    out.printf(
        "    the same command within the session: accepted as %s (%s)%n",
        commandId, accepted.get("status").asText());

    JsonNode actions = owner.get(SESSIONS + "/" + sessionId + "/activity").get("actions");
    for (JsonNode action : actions) {
      out.printf(
          "    the owner sees: %s %s %s (%s) on %s, %s%n",
          action.get("at").asText(),
          action.get("by").asText(),
          action.get("command").asText(),
          action.get("commandClass").asText(),
          action.get("deviceId").asText(),
          action.get("status").asText());
    }

    ServiceDeskApi.Answer revoked = owner.delete(SESSIONS + "/" + sessionId);
    ServiceDeskApi.Answer after = technician.attempt("POST", commands, autoLock);
    out.printf(
        "    the owner revokes the session (%s); the command again: HTTP %d%n",
        revoked.body().path("status").asText(), after.status());
    requireRefused(after, "after the owner revoked the session");
    return new Outcome(
        refused.status(),
        refused.body().path("type").asText(),
        commandId,
        actions.size(),
        after.status());
  }

  private static void requireRefused(ServiceDeskApi.Answer answer, String when) {
    if (answer.status() != 403 || !CONSENT_REQUIRED.equals(answer.body().path("type").asText())) {
      throw new IllegalStateException(
          "the lock command "
              + when
              + " answered HTTP "
              + answer.status()
              + ", not 403 "
              + CONSENT_REQUIRED);
    }
  }
}
