package io.aftercare.bridge;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.function.Function;

/**
 * What the KPIs can be broken down by ({@code groupBy}). A case without a value (a reported case
 * has no rule, a remote fix no owner) falls into the group with no key.
 */
public enum KpiDimension {
  DEVICE_TYPE("deviceType", Ticket::deviceType, RemoteFixes.Fix::deviceType),
  MODEL("model", ticket -> device(ticket).model(), RemoteFixes.Fix::model),
  FIRMWARE("firmware", ticket -> device(ticket).firmware(), RemoteFixes.Fix::firmware),
  RULE("rule", Ticket::ruleId, RemoteFixes.Fix::ruleId),
  CATEGORY(
      "category",
      ticket -> ticket.category() == null ? null : ticket.category().wireName(),
      RemoteFixes.Fix::category),
  OWNER("owner", Ticket::owner, fix -> null),
  ASSIGNEE("assignee", Ticket::assignee, fix -> null);

  private static final TicketEvidence.Device NO_DEVICE =
      new TicketEvidence.Device(null, null, null, null);

  private final String wireName;
  private final Function<Ticket, String> ofTicket;
  private final Function<RemoteFixes.Fix, String> ofFix;

  KpiDimension(
      String wireName, Function<Ticket, String> ofTicket, Function<RemoteFixes.Fix, String> ofFix) {
    this.wireName = wireName;
    this.ofTicket = ofTicket;
    this.ofFix = ofFix;
  }

  @JsonValue
  public String wireName() {
    return wireName;
  }

  /** The dimension named by {@code groupBy}; an unknown name is refused naming the parameter. */
  public static KpiDimension fromWireName(String name) {
    for (KpiDimension dimension : values()) {
      if (dimension.wireName.equals(name)) {
        return dimension;
      }
    }
    throw new BridgeException(
        BridgeException.Kind.INVALID,
        "'groupBy' must be one of deviceType, model, firmware, rule, category, owner, assignee");
  }

  String of(Ticket ticket) {
    return ofTicket.apply(ticket);
  }

  /** The group of a remote fix; its SQL counterpart is RemoteFixesWithoutTicket.countedPer. */
  public String of(RemoteFixes.Fix fix) {
    return ofFix.apply(fix);
  }

  /** The device facts the ticket recorded when it was opened (model and firmware at the time). */
  private static TicketEvidence.Device device(Ticket ticket) {
    TicketEvidence evidence = ticket.evidence();
    return evidence == null || evidence.device() == null ? NO_DEVICE : evidence.device();
  }
}
