package io.aftercare.platform.alarms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aftercare.diagnostics.eval.Forecast;
import io.aftercare.platform.db.JsonColumn;
import java.time.Instant;

/**
 * What a rule adds to its alarm beyond the counters, as stored in {@code alarms.details} and shown
 * by the API: today the latest forecast of a forecast rule.
 *
 * @param forecast {@code null} for alarms of rules that do not forecast
 */
public record AlarmDetails(ForecastDetail forecast) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A forecast as staff read it: {@code summary} is ready to show ("battery empty in about 6 h"),
   * {@code reachesAt} lets a console say at what time.
   */
  public record ForecastDetail(
      String metric,
      double limit,
      String limitLabel,
      Instant estimatedAt,
      Instant reachesAt,
      long remainingS,
      double level,
      double slopePerHour,
      int points,
      String summary) {

    static ForecastDetail of(Forecast forecast) {
      return new ForecastDetail(
          forecast.metric(),
          forecast.limit(),
          forecast.limitLabel(),
          forecast.estimatedAt(),
          forecast.reachesAt(),
          forecast.remaining().toSeconds(),
          forecast.level(),
          forecast.slopePerHour(),
          forecast.points(),
          forecast.summary());
    }

    Forecast toForecast() {
      return new Forecast(
          metric, limit, limitLabel, estimatedAt, reachesAt, level, slopePerHour, points);
    }
  }

  /** The column's JSON for an engine forecast; {@code null} (column left as is) for none. */
  static String json(Forecast forecast) {
    if (forecast == null) {
      return null;
    }
    ForecastDetail detail = ForecastDetail.of(forecast);
    ObjectNode node = JSON.createObjectNode();
    node.putObject("forecast")
        .put("metric", detail.metric())
        .put("limit", detail.limit())
        .put("limitLabel", detail.limitLabel())
        .put("estimatedAt", detail.estimatedAt().toString())
        .put("reachesAt", detail.reachesAt().toString())
        .put("remainingS", detail.remainingS())
        .put("level", detail.level())
        .put("slopePerHour", detail.slopePerHour())
        .put("points", detail.points())
        .put("summary", detail.summary());
    return node.toString();
  }

  /** Reads the column (fetched as text); {@code null} when it is NULL. */
  static AlarmDetails read(String text) {
    if (text == null) {
      return null;
    }
    JsonNode forecast = JsonColumn.read(text).path("forecast");
    if (!forecast.isObject()) {
      return new AlarmDetails(null);
    }
    return new AlarmDetails(
        new ForecastDetail(
            forecast.path("metric").asText(),
            forecast.path("limit").asDouble(),
            forecast.path("limitLabel").asText(),
            Instant.parse(forecast.path("estimatedAt").asText()),
            Instant.parse(forecast.path("reachesAt").asText()),
            forecast.path("remainingS").asLong(),
            forecast.path("level").asDouble(),
            forecast.path("slopePerHour").asDouble(),
            forecast.path("points").asInt(),
            forecast.path("summary").asText()));
  }

  /** The engine's forecast in a stored column, for a restored alarm; {@code null} for none. */
  static Forecast forecastIn(String text) {
    AlarmDetails details = read(text);
    return details == null || details.forecast() == null ? null : details.forecast().toForecast();
  }
}
