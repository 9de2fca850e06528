package io.aftercare.simulator.tour;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.Locale;

/** The days of a KPI series as a small text table: each day's overall row, then its groups. */
final class KpiTable {

  private static final String ROW = "    %-10s %-12s %6s %9s %8s %18s %9s %13s%n";

  private KpiTable() {}

  /**
   * @param days the {@code days} of {@code GET /api/v1/kpis/series}
   */
  static void print(JsonNode days, PrintStream out) {
    out.printf(
        Locale.ROOT,
        ROW,
        "day",
        "group",
        "opened",
        "cancelled",
        "resolved",
        "response ok/late/…",
        "resp.rate",
        "remote fixes*");
    for (JsonNode day : days) {
      String date = day.path("day").asText();
      row(out, date, "(all)", day.path("overall"));
      for (JsonNode group : day.path("groups")) {
        row(out, "", group.path("key").asText("(none)"), group.path("kpis"));
      }
    }
    out.println("    * alarms fixed remotely without a ticket");
  }

  private static void row(PrintStream out, String day, String group, JsonNode kpis) {
    JsonNode response = kpis.path("timeliness").path("response");
    out.printf(
        Locale.ROOT,
        ROW,
        day,
        group,
        kpis.path("ticketsOpened").asInt(),
        kpis.path("cancelled").asInt(),
        kpis.path("resolved").asInt(),
        response.path("onTime").asInt()
            + "/"
            + response.path("late").asInt()
            + "/"
            + response.path("pending").asInt(),
        response.has("rate")
            ? String.format(Locale.ROOT, "%.2f", response.get("rate").asDouble())
            : "n/a",
        kpis.path("remoteFixesWithoutTicket").asInt());
  }
}
