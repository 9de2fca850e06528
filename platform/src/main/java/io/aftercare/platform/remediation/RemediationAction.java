package io.aftercare.platform.remediation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aftercare.platform.alarms.AlarmEventType;
import io.aftercare.platform.alarms.Resolution;
import java.time.Instant;

/** One step of a remote-fix-first decision, applied by {@link RemoteFixFirst} in order. */
public sealed interface RemediationAction {

  /** Sends the remedy at {@code step}, or joins the same command already out for another alarm. */
  record TryRemedy(int step) implements RemediationAction {}

  /** The remedy worked: watch for the fault until {@code deadline}. */
  record Verify(Instant deadline) implements RemediationAction {}

  /** Moves the alarm to {@code state}, keeping its step and dropping any deadline. */
  record MoveTo(RemediationState state) implements RemediationAction {}

  /** Asks the ticket bridge for a ticket. */
  record RequestTicket(String reason) implements RemediationAction {}

  /**
   * The alarm the ticket bridge was asked about has cleared: starts the post-fix health check,
   * whose verdict alone tells the bridge (docs/tickets.md, "Post-fix health check").
   */
  record StartHealthCheck(Resolution resolution) implements RemediationAction {}

  /** Appends an event to the alarm's history. */
  record Record(AlarmEventType type, ObjectNode detail) implements RemediationAction {}
}
