package io.aftercare.simulator.score;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.aftercare.simulator.scenario.DurationFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code score} found: detection recall and precision, time to detect, remote fixes, tickets,
 * and home alarms and incidents for outages of whole homes, with the detail behind each figure.
 * Instants are ISO-8601 strings, durations seconds; a ratio whose denominator is zero is {@code
 * null}. docs/simulator.md defines every field.
 */
public record ScoreReport(
    Run run,
    int faults,
    int detected,
    Double recall,
    int alarms,
    int trueAlarms,
    int falseAlarms,
    int explainedAlarms,
    Double precision,
    TimeToDetect timeToDetectS,
    Forecasts forecasts,
    RemoteFix remoteFix,
    Tickets tickets,
    List<FaultOutcome> faultDetails,
    List<UndetectedFault> undetected,
    List<AlarmRef> falseAlarmDetails,
    List<AlarmRef> explainedAlarmDetails,
    RootCauseFigures rootCause) {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * The scored span: alarms and tickets count when raised in [startedAt − tolerance, scoredUntil].
   *
   * @param endedAt null while the run had not ended
   * @param scoredUntil the run's end (or the time of scoring) plus the grace period
   * @param outsideRun alarms on the scenario's devices raised before or after that span, ignored
   */
  public record Run(
      String startedAt,
      String endedAt,
      String scoredUntil,
      int devices,
      double graceS,
      double toleranceS,
      int outsideRun) {}

  /** Seconds from a fault's start to the first alarm that detected it. */
  public record TimeToDetect(Double p50, Double max, Map<String, FaultKindFigures> byFault) {}

  public record FaultKindFigures(int faults, int detected, Double p50, Double max) {}

  /**
   * Forecast warnings (alarms carrying a forecast, docs/diagnostics.md kind {@code forecast}).
   *
   * @param faults faults a forecast rule of the map can warn about (its {@code forecasts})
   * @param warned of those, the faults with a forecast warning among their true alarms
   * @param p50S seconds from such a fault's start to its first forecast warning, nearest-rank
   *     median
   * @param maxS the longest of those
   * @param falseWarnings forecast warnings that are false alarms: noise taken for a trend
   */
  public record Forecasts(
      int faults,
      int warned,
      Double p50S,
      Double maxS,
      int falseWarnings,
      List<ForecastWarning> warnings,
      List<AlarmRef> falseDetails) {}

  /**
   * @param afterS seconds from the fault's start to the warning
   * @param forecast the alarm's latest forecast, e.g. "battery empty in about 12 min"
   */
  public record ForecastWarning(
      String device,
      String fault,
      String startAt,
      long alarmId,
      String rule,
      String raisedAt,
      double afterS,
      String forecast) {}

  /**
   * @param attempted detected faults with a remote cure attempted (a remedy on a detecting alarm,
   *     or a cure in the ground truth)
   * @param cured of those, the faults a command cured (a cure line in the ground truth)
   */
  public record RemoteFix(int attempted, int cured, Double rate) {}

  public record Tickets(
      int total, int trueTickets, int falseTickets, List<TicketRef> falseDetails) {}

  /**
   * @param detected null when no alarm detected the fault
   * @param tickets ids of the tickets opened for it
   */
  public record FaultOutcome(
      String device,
      String type,
      String fault,
      String startAt,
      Detected detected,
      RemoteFixOutcome remoteFix,
      List<Long> tickets) {}

  public record Detected(long alarmId, String rule, String raisedAt, double afterS) {}

  /**
   * @param attempts the remedies remote-fix-first sent on the fault's detecting alarms
   * @param curedBy the command that cured it according to the ground truth, or null
   * @param alarmResolution the first detecting alarm's resolution ({@code fixed_remotely} when the
   *     platform verified the fix), or null while it is open
   */
  public record RemoteFixOutcome(
      List<Attempt> attempts, String curedBy, String curedAt, String alarmResolution) {}

  public record Attempt(long alarmId, String command, String status, String at) {}

  public record UndetectedFault(String device, String fault, String startAt, String reason) {}

  public record AlarmRef(long id, String device, String rule, String raisedAt) {}

  public record TicketRef(long id, String device, String rule, String status, String openedAt) {}

  public void write(Path file) {
    try {
      JSON.writeValue(file.toFile(), this);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /**
   * One line for the console, like {@code load}'s; home and incident figures for a run with homes.
   */
  public String summary() {
    return faultSummary() + rootCauseSummary();
  }

  private String rootCauseSummary() {
    if (rootCause.homes().outages() == 0
        && rootCause.homes().homeAlarms() == 0
        && rootCause.incidents().outages() == 0
        && rootCause.incidents().incidents() == 0) {
      return "";
    }
    RootCauseFigures.HomeFigures homes = rootCause.homes();
    RootCauseFigures.IncidentFigures incidents = rootCause.incidents();
    return String.format(
        Locale.ROOT,
        " homes found=%d/%d home-alarms=%d false=%d false-tickets=%d precision=%s"
            + " incidents found=%d/%d incidents=%d false=%d false-tickets=%d precision=%s",
        homes.found(),
        homes.outages(),
        homes.homeAlarms(),
        homes.falseHomeAlarms(),
        homes.falseTickets(),
        ratio(homes.precision()),
        incidents.found(),
        incidents.outages(),
        incidents.incidents(),
        incidents.falseIncidents(),
        incidents.falseTickets(),
        ratio(incidents.precision()));
  }

  private String faultSummary() {
    return String.format(
        Locale.ROOT,
        "score: %d faults detected=%d recall=%s alarms=%d true=%d false=%d explained=%d"
            + " precision=%s ttd p50=%s max=%s remote-fix=%d/%d tickets=%d false-tickets=%d"
            + " forecast warned=%d/%d p50=%s max=%s false=%d",
        faults,
        detected,
        ratio(recall),
        alarms,
        trueAlarms,
        falseAlarms,
        explainedAlarms,
        ratio(precision),
        seconds(timeToDetectS.p50()),
        seconds(timeToDetectS.max()),
        remoteFix.cured(),
        remoteFix.attempted(),
        tickets.total(),
        tickets.falseTickets(),
        forecasts.warned(),
        forecasts.faults(),
        seconds(forecasts.p50S()),
        seconds(forecasts.maxS()),
        forecasts.falseWarnings());
  }

  private static String ratio(Double value) {
    return value == null ? "n/a" : String.format(Locale.ROOT, "%.2f", value);
  }

  private static String seconds(Double value) {
    if (value == null) {
      return "n/a";
    }
    return DurationFormat.format(Duration.ofMillis(Math.round(value * 1000)));
  }
}
