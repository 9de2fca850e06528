package io.aftercare.simulator.score;

import io.aftercare.simulator.scenario.DurationFormat;
import io.aftercare.simulator.score.Scorer.FaultView;
import java.time.Duration;
import java.util.Locale;

/** Why a fault has no detecting alarm, when the reason is mechanical rather than a miss. */
final class UndetectedReason {

  private UndetectedReason() {}

  static String of(FaultView view) {
    String fault = view.fault().fault().id();
    if (!view.detection().possible()) {
      return "no default rule detects " + fault + " on a " + view.type();
    }
    if (view.fault().startAt().isAfter(view.runEnd())) {
      return view.runEnded() ? "the run ended before the fault started" : "not started yet";
    }
    Duration lasted = Duration.between(view.fault().startAt(), view.faultEnd());
    Duration needs = view.detection().needs();
    if (lasted.compareTo(needs) < 0) {
      String ended =
          view.cure().isPresent()
              ? "cured"
              : view.runEnded() ? "the run ended" : "scored while the run goes on,";
      return String.format(
          Locale.ROOT,
          "too short: %s %s after the start; the rules (%s) need at least %s",
          ended,
          DurationFormat.format(lasted),
          String.join(", ", view.detection().rules()),
          DurationFormat.format(needs));
    }
    return view.detection().note().orElse("not yet detected");
  }
}
