package io.aftercare.platform.api;

import io.aftercare.bridge.InboundWebhooks;
import io.aftercare.platform.audit.AuditEntry;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The audit entry of a change the helpdesk made through {@code POST /api/v1/bridge/inbound}: a
 * ticket transition (cancelling included) as {@code ticket.transition}, a quote decision as {@code
 * ticket.quote.decision}, by the actor {@code helpdesk:<agent>}, with what changed.
 */
final class HelpdeskAudit {

  private HelpdeskAudit() {}

  static AuditEntry of(InboundWebhooks.AppliedChange applied, String from) {
    InboundWebhooks.HelpdeskChange change = applied.change();
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("via", "helpdesk");
    facts.put("webhookId", applied.webhookId());
    String action;
    if (change.quoteDecision() == null) {
      action = "ticket.transition";
      putIfPresent(facts, "from", applied.before() == null ? null : applied.before().wireName());
      facts.put("to", applied.after().status().wireName());
      putIfPresent(facts, "note", change.note());
      putIfPresent(facts, "assignee", change.assignee());
      putIfPresent(facts, "channel", change.channel());
      putIfPresent(facts, "satisfaction", change.satisfaction());
    } else {
      action = "ticket.quote.decision";
      facts.put("quoteId", change.quoteDecision().quoteId());
      facts.put("decision", change.quoteDecision().decision());
      putIfPresent(facts, "comment", change.quoteDecision().comment());
    }
    return AuditEntry.of(
            applied.actor(),
            action,
            "ticket/" + applied.after().id(),
            AuditEntry.Outcome.ALLOWED,
            from)
        .withDetail(facts);
  }

  private static void putIfPresent(Map<String, Object> facts, String key, Object value) {
    if (value != null) {
      facts.put(key, value);
    }
  }
}
