package io.aftercare.platform.api;

import io.aftercare.bridge.Ticket;
import io.aftercare.bridge.TicketDetail;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Ended cases as CSV (RFC 4180: comma separated, CRLF line ends, fields quoted when they hold a
 * comma, quote or line break, quotes doubled), one case per row under a header row.
 */
final class TicketCsv {

  static final List<String> HEADER =
      List.of(
          "id",
          "status",
          "outcome",
          "archivedAt",
          "source",
          "deviceId",
          "deviceType",
          "ruleId",
          "category",
          "severity",
          "priority",
          "customerRef",
          "customerTier",
          "intakeChannel",
          "serviceType",
          "owner",
          "assignee",
          "channel",
          "satisfaction",
          "reopenCount",
          "alarms",
          "openedAt",
          "updatedAt",
          "reason",
          "symptom");

  private TicketCsv() {}

  static String write(List<TicketDetail> cases) {
    StringBuilder csv = new StringBuilder();
    row(csv, HEADER);
    for (TicketDetail detail : cases) {
      row(csv, fields(detail));
    }
    return csv.toString();
  }

  private static List<String> fields(TicketDetail detail) {
    Ticket t = detail.ticket();
    List<Object> values = new ArrayList<>();
    values.add(t.id());
    values.add(t.status().wireName());
    values.add(t.archivedFrom() == null ? t.status().wireName() : t.archivedFrom().wireName());
    values.add(t.archivedAt());
    values.add(t.source());
    values.add(t.deviceId());
    values.add(t.deviceType());
    values.add(t.ruleId());
    values.add(t.category() == null ? null : t.category().wireName());
    values.add(t.severity().wireName());
    values.add(t.priority().wireName());
    values.add(t.customerRef());
    values.add(t.customerTier());
    values.add(t.intakeChannel());
    values.add(t.serviceType());
    values.add(t.owner());
    values.add(t.assignee());
    values.add(t.channel());
    values.add(t.satisfaction());
    values.add(detail.reopenCount());
    values.add(detail.alarms().size());
    values.add(t.openedAt());
    values.add(t.updatedAt());
    values.add(t.reason());
    values.add(t.symptom());
    return values.stream().map(value -> Objects.toString(value, "")).toList();
  }

  private static void row(StringBuilder csv, List<String> fields) {
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        csv.append(',');
      }
      csv.append(field(fields.get(i)));
    }
    csv.append("\r\n");
  }

  private static String field(String value) {
    // A spreadsheet would run a cell starting like a formula; customer text must stay text.
    String safe = value.matches("^[=+\\-@\t\r].*") ? "'" + value : value;
    if (safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r")) {
      return '"' + safe.replace("\"", "\"\"") + '"';
    }
    return safe;
  }
}
