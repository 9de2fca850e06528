package io.aftercare.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.aftercare.bridge.testing.MutableClock;
import io.aftercare.bridge.testing.SampleRequests;
import io.aftercare.bridge.testing.TestBridge;
import io.aftercare.bridge.testing.TestBridgeConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SLA clocks against a clock the test controls: the response clock's warning, breach and
 * escalation, then the repair clock with its parts pause, and the arrangement clock's, at exactly
 * the right times. A major alarm on a standard customer's device is P2: respond within 4 h, arrange
 * within 24 h, repair within 48 h, warning at 75 %. The sample alarm was raised after T0, so
 * receipt is the ticket's opening.
 */
class SlaEscalationTest {

  private static final Instant T0 = Instant.parse("2026-11-23T08:00:00Z");

  private static final MutableClock CLOCK = new MutableClock(T0);
  private static TestBridge test;
  private static TicketBridge bridge;

  @BeforeAll
  static void start() {
    // The background jobs stay off: this test runs the checks itself, on its clock.
    test = TestBridge.idle(TestBridgeConfig.defaults().disabled().build(), CLOCK);
    bridge = test.bridge();
  }

  @AfterAll
  static void stop() {
    if (test != null) {
      test.close();
    }
  }

  private static void at(Duration sinceOpening) {
    at(T0, sinceOpening);
  }

  /** Sets the clock (either way: each test opens its ticket at its own base) and runs the jobs. */
  private static void at(Instant base, Duration sinceOpening) {
    CLOCK.advance(Duration.between(CLOCK.instant(), base.plus(sinceOpening)));
    bridge.runOnce();
  }

  private static TicketDetail ticket(long id) {
    return bridge.tickets().find(id).orElseThrow();
  }

  private static List<String> slaSteps(long id) {
    return ticket(id).timeline().stream()
        .map(TimelineEntry::kind)
        .filter(kind -> kind.startsWith("sla_") || kind.equals("escalation"))
        .toList();
  }

  private static void move(long id, String to, String assignee, String channel) {
    bridge
        .tickets()
        .transition(
            id,
            new TransitionRequest(to, null, assignee, channel, null),
            "tom",
            InTransaction.NOTHING);
  }

  @Test
  void clocksWarnBreachEscalateAndPauseAtTheRightTimes() {
    CLOCK.advance(Duration.between(CLOCK.instant(), T0));
    SampleRequests.open(test.database(), "thermo-1", "no-heat");
    bridge.runOnce();
    long id = test.count("SELECT id FROM tickets WHERE device_id = 'thermo-1'");
    assertThat(ticket(id).ticket().priority()).isEqualTo(Priority.P2);

    at(Duration.ofMinutes(179).plusSeconds(59));
    assertThat(slaSteps(id)).isEmpty();
    at(Duration.ofMinutes(180));
    assertThat(slaSteps(id)).containsExactly("sla_warning");
    assertThat(ticket(id).sla().response().standing()).isEqualTo(SlaClock.Standing.WARNING);
    at(Duration.ofHours(4));
    assertThat(slaSteps(id)).containsExactly("sla_warning");
    at(Duration.ofHours(4).plusSeconds(1));
    assertThat(slaSteps(id)).containsExactly("sla_warning", "sla_breach", "escalation");
    assertThat(ticket(id).ticket().tier()).isEqualTo(2);
    at(Duration.ofHours(5));
    assertThat(slaSteps(id)).as("each step once").hasSize(3);

    move(id, "acknowledged", null, null);
    at(Duration.ofHours(6));
    test.qualify("ann", ticket(id).ticket().deviceType());
    move(id, "dispatched", "ann", "on_site");
    at(Duration.ofHours(7));
    move(id, "in_progress", null, null);
    at(Duration.ofHours(10));
    move(id, "awaiting_parts", null, null);
    // Three counted hours so far (work started at 7 h); the wait for parts does not count.
    at(Duration.ofHours(110));
    TicketDetail waiting = ticket(id);
    assertThat(waiting.sla().repair().state()).isEqualTo(SlaClock.State.PAUSED);
    assertThat(waiting.sla().repair().pausedFor()).isEqualTo(SlaClock.PauseReason.AWAITING_PARTS);
    assertThat(waiting.sla().repair().elapsed()).isEqualTo(Duration.ofHours(3));
    assertThat(waiting.sla().repair().paused()).isEqualTo(Duration.ofHours(100));
    assertThat(slaSteps(id)).hasSize(3);
    move(id, "in_progress", null, null);

    // Warning at 36 counted hours: 3 before the pause, 33 after it (110 h + 33 h).
    at(Duration.ofHours(143).minusSeconds(1));
    assertThat(slaSteps(id)).hasSize(3);
    at(Duration.ofHours(143));
    assertThat(slaSteps(id)).hasSize(4).endsWith("sla_warning");
    // Breach past 48 counted hours: 110 h + 45 h.
    at(Duration.ofHours(155));
    assertThat(slaSteps(id)).hasSize(4);
    at(Duration.ofHours(155).plusSeconds(1));
    assertThat(slaSteps(id)).hasSize(6).endsWith("sla_breach", "escalation");
    TicketDetail escalated = ticket(id);
    assertThat(escalated.ticket().tier()).isEqualTo(3);
    assertThat(escalated.ticket().owner()).as("first-contact owner kept").isEqualTo("tom");
    assertThat(escalated.sla().repair().standing()).isEqualTo(SlaClock.Standing.BREACHED);
    assertThat(test.outboxEvents(id, "ticket.updated"))
        .filteredOn(event -> event.at("/ticket/tier").asText().equals("3"))
        .as("the escalation is sent to the helpdesk")
        .hasSize(1);
  }

  @Test
  void anUnarrangedVisitWarnsBreachesAndEscalatesOnTheArrangementClock() {
    // Before the sample alarm's raising too, so that receipt is the ticket's opening.
    Instant base = T0.minus(Duration.ofDays(30));
    CLOCK.advance(Duration.between(CLOCK.instant(), base));
    SampleRequests.open(test.database(), "thermo-2", "no-heat");
    bridge.runOnce();
    long id = test.count("SELECT id FROM tickets WHERE device_id = 'thermo-2'");
    move(id, "acknowledged", null, null);
    test.qualify("ann", ticket(id).ticket().deviceType());
    move(id, "dispatched", "ann", "on_site");

    // Dispatched on site, but no appointment confirmed: the 24 h arrangement clock runs on.
    at(base, Duration.ofHours(18).minusSeconds(1));
    assertThat(slaSteps(id)).isEmpty();
    at(base, Duration.ofHours(18));
    assertThat(slaSteps(id)).containsExactly("sla_warning");
    assertThat(
            ticket(id)
                .timeline()
                .get(ticket(id).timeline().size() - 1)
                .detail()
                .path("clock")
                .asText())
        .isEqualTo("arrangement");
    at(base, Duration.ofHours(24).plusSeconds(1));
    assertThat(slaSteps(id)).containsExactly("sla_warning", "sla_breach", "escalation");
    assertThat(ticket(id).sla().arrangement().standing()).isEqualTo(SlaClock.Standing.BREACHED);
    assertThat(ticket(id).ticket().tier()).isEqualTo(2);
    at(base, Duration.ofHours(30));
    assertThat(slaSteps(id)).as("each step once").hasSize(3);
  }
}
