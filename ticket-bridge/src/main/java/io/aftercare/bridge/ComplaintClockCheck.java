package io.aftercare.bridge;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;

/**
 * The scheduled check of complaint response clocks (docs/complaints.md): the warning and the breach
 * are recorded once each; a breach escalates to the next support line (the owner stays) and sends
 * {@code complaint.breached}, a warning {@code complaint.updated}.
 */
final class ComplaintClockCheck {

  private final Tx tx;
  private final Clock clock;
  private final ComplaintClock responseClock;

  ComplaintClockCheck(Tx tx, Clock clock, ComplaintClock responseClock) {
    this.tx = tx;
    this.clock = clock;
    this.responseClock = responseClock;
  }

  /** Checks every complaint not yet answered; returns how many steps were recorded. */
  int runOnce() {
    int steps = 0;
    for (long id : tx.run(ComplaintStore::unansweredIds)) {
      steps += tx.run(c -> check(c, id, clock.instant()));
    }
    return steps;
  }

  private int check(Connection c, long id, Instant now) throws SQLException {
    Complaint complaint = ComplaintStore.load(c, id, true).orElseThrow();
    DeskEscalation.Steps steps =
        DeskEscalation.step(
            c, DeskSubject.COMPLAINT, id, "response", responseClock.measure(complaint, now), now);
    if (steps.recorded() > 0) {
      DeskEvents.append(
          c,
          DeskSubject.COMPLAINT,
          id,
          steps.breached() ? DeskEvents.COMPLAINT_BREACHED : DeskEvents.COMPLAINT_UPDATED,
          ComplaintStore.load(c, id, false).orElseThrow(),
          now);
    }
    return steps.recorded();
  }
}
