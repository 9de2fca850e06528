package io.aftercare.platform.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.bridge.KpiReport;
import io.aftercare.bridge.KpiSeries;
import io.aftercare.bridge.Kpis;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The KPIs as CSV, one row per set of cases: the overall figures, then one row per group. The
 * figure columns are the JSON answer's fields, nested names joined with dots ({@code
 * timeliness.response.rate}), so the two never disagree and a KPI added to {@link Kpis} is a column
 * without further work (docs/tickets.md lists them).
 */
final class KpiCsv {

  /** Keeps nulls (as empty cells), so every row has every column. */
  private static final ObjectMapper FLAT = new ObjectMapper();

  private KpiCsv() {}

  /** Columns {@code from,to,groupBy,key} and the figures. */
  static String report(KpiReport report) {
    String groupBy = report.groupBy() == null ? null : report.groupBy().wireName();
    List<String> lead = List.of("from", "to", "groupBy", "key");
    CsvWriter csv = new CsvWriter();
    csv.row(header(lead, report.overall()));
    String from = report.from().toString();
    String to = report.to().toString();
    csv.row(row(cells(from, to, null, null), report.overall()));
    for (KpiReport.Group group : report.groups()) {
      csv.row(row(cells(from, to, groupBy, group.key()), group.kpis()));
    }
    return csv.text();
  }

  /** Columns {@code day,groupBy,key} and the figures; per day the overall row, then its groups. */
  static String series(KpiSeries series) {
    String groupBy = series.groupBy() == null ? null : series.groupBy().wireName();
    List<String> lead = List.of("day", "groupBy", "key");
    CsvWriter csv = new CsvWriter();
    boolean headed = false;
    for (KpiSeries.Day day : series.days()) {
      if (!headed) {
        csv.row(header(lead, day.overall()));
        headed = true;
      }
      csv.row(row(cells(day.day().toString(), null, null), day.overall()));
      for (KpiReport.Group group : day.groups()) {
        csv.row(row(cells(day.day().toString(), groupBy, group.key()), group.kpis()));
      }
    }
    return csv.text();
  }

  private static List<String> cells(String... values) {
    return Arrays.asList(values);
  }

  private static List<String> header(List<String> lead, Kpis sample) {
    List<String> header = new ArrayList<>(lead);
    flatten("", FLAT.valueToTree(sample), (name, value) -> header.add(name));
    return header;
  }

  private static List<String> row(List<String> lead, Kpis kpis) {
    List<String> row = new ArrayList<>(lead);
    flatten("", FLAT.valueToTree(kpis), (name, value) -> row.add(value));
    return row;
  }

  private interface Leaf {
    void accept(String name, String value);
  }

  /** Visits the leaves in document order; a null leaf is an empty value. */
  private static void flatten(String prefix, JsonNode node, Leaf leaf) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        flatten(prefix + field.getKey() + ".", field.getValue(), leaf);
      }
    } else {
      String name = prefix.substring(0, prefix.length() - 1);
      leaf.accept(name, node.isNull() ? null : node.asText());
    }
  }
}
