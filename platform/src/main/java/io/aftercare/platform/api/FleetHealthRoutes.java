package io.aftercare.platform.api;

import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.aftercare.platform.fleet.FleetGrouping;
import io.aftercare.platform.fleet.FleetHealthDay;
import io.aftercare.platform.fleet.FleetHealthSeries;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * {@code GET /fleet/health-series}: alarms per 100 devices per UTC day, by model or firmware, for
 * every role (docs/staff-api.md, Fleet health trend).
 */
final class FleetHealthRoutes {

  static final int DEFAULT_DAYS = 30;
  static final int MAX_DAYS = 366;

  private final FleetHealthSeries series;
  private final Clock clock;

  FleetHealthRoutes(FleetHealthSeries series, Clock clock) {
    this.series = series;
    this.clock = clock;
  }

  void mount(Router api) {
    api.get("/fleet/health-series").handler(this::healthSeries);
  }

  /** [from, to) in UTC days; the last 30 days up to and including today by default. */
  private void healthSeries(RoutingContext ctx) {
    String groupByValue = QueryParams.text(ctx, "groupBy");
    FleetGrouping groupBy = grouping(groupByValue);
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    LocalDate to = QueryParams.date(ctx, "to", today.plusDays(1));
    LocalDate from = QueryParams.date(ctx, "from", to.minusDays(DEFAULT_DAYS));
    if (!from.isBefore(to)) {
      throw invalid("query parameter 'to' must be after 'from'");
    }
    if (ChronoUnit.DAYS.between(from, to) > MAX_DAYS) {
      throw invalid("query parameter 'to' must be at most " + MAX_DAYS + " days after 'from'");
    }
    String type = QueryParams.text(ctx, "type");
    series
        .series(from, to, groupBy, type)
        .onSuccess(days -> ApiJson.send(ctx, 200, new Body(from, to, groupByValue, type, days)))
        .onFailure(ctx::fail);
  }

  private static FleetGrouping grouping(String value) {
    if (value == null) {
      throw invalid("query parameter 'groupBy' is required: model or firmware");
    }
    return switch (value) {
      case "model" -> FleetGrouping.MODEL;
      case "firmware" -> FleetGrouping.FIRMWARE;
      default -> throw invalid("query parameter 'groupBy' must be model or firmware");
    };
  }

  private static ServiceException invalid(String message) {
    return new ServiceException(Failure.INVALID_INPUT, message);
  }

  record Body(
      LocalDate from, LocalDate to, String groupBy, String type, List<FleetHealthDay> days) {}
}
