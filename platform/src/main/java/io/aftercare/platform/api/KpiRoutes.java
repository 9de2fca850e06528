package io.aftercare.platform.api;

import io.aftercare.bridge.KpiService;
import io.aftercare.bridge.RemoteFixes;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Locale;

/**
 * The after-sales KPIs: {@code GET /kpis} over the cases opened in a range and {@code GET
 * /kpis/series} per day, each optionally broken down ({@code groupBy}) and as CSV ({@code Accept:
 * text/csv} or {@code format=csv}). Any staff member reads them (docs/tickets.md, KPIs).
 */
final class KpiRoutes {

  private static final String CSV = "text/csv";

  private final KpiService kpis;
  private final RemoteFixes remoteFixes;
  private final BridgeCalls calls;

  KpiRoutes(KpiService kpis, RemoteFixes remoteFixes, BridgeCalls calls) {
    this.kpis = kpis;
    this.remoteFixes = remoteFixes;
    this.calls = calls;
  }

  void mount(Router api) {
    api.get("/kpis").handler(this::report);
    api.get("/kpis/series").handler(this::series);
  }

  /** The cases opened in [from, to); the last 30 days by default. */
  private void report(RoutingContext ctx) {
    Instant from = QueryParams.instant(ctx, "from", null);
    Instant to = QueryParams.instant(ctx, "to", null);
    String groupBy = QueryParams.text(ctx, "groupBy");
    boolean csv = wantsCsv(ctx);
    calls
        .call(() -> kpis.report(from, to, groupBy, remoteFixes))
        .onSuccess(
            report -> {
              if (csv) {
                sendCsv(ctx, "kpis.csv", KpiCsv.report(report));
              } else {
                ApiJson.send(ctx, 200, report);
              }
            })
        .onFailure(ctx::fail);
  }

  /** The cases opened on each day of [from, to) in the calendar's zone; the last 30 days. */
  private void series(RoutingContext ctx) {
    LocalDate from = QueryParams.date(ctx, "from", null);
    LocalDate to = QueryParams.date(ctx, "to", null);
    String groupBy = QueryParams.text(ctx, "groupBy");
    boolean csv = wantsCsv(ctx);
    calls
        .call(() -> kpis.series(from, to, groupBy, remoteFixes))
        .onSuccess(
            series -> {
              if (csv) {
                sendCsv(ctx, "kpi-series.csv", KpiCsv.series(series));
              } else {
                ApiJson.send(ctx, 200, series);
              }
            })
        .onFailure(ctx::fail);
  }

  /** {@code format=csv|json} decides; without it, an Accept header naming text/csv. */
  private static boolean wantsCsv(RoutingContext ctx) {
    String format = QueryParams.text(ctx, "format");
    if (format != null) {
      return switch (format) {
        case "csv" -> true;
        case "json" -> false;
        default ->
            throw new ServiceException(
                Failure.INVALID_INPUT, "query parameter 'format' must be csv or json");
      };
    }
    String accept = ctx.request().getHeader("accept");
    return accept != null && accept.toLowerCase(Locale.ROOT).contains(CSV);
  }

  private static void sendCsv(RoutingContext ctx, String fileName, String text) {
    ctx.response()
        .setStatusCode(200)
        .putHeader("content-type", CSV + "; charset=utf-8")
        .putHeader("content-disposition", "attachment; filename=\"" + fileName + "\"")
        .end(text);
  }
}
