package io.aftercare.platform.api;

import java.util.List;

/**
 * Comma-separated values as RFC 4180 writes them: a cell holding a comma, a quote or a line break
 * is quoted, quotes doubled; lines end with CRLF; a null cell is empty.
 */
final class CsvWriter {

  private final StringBuilder text = new StringBuilder();

  CsvWriter row(List<String> cells) {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        text.append(',');
      }
      text.append(cell(cells.get(i)));
    }
    text.append("\r\n");
    return this;
  }

  String text() {
    return text.toString();
  }

  static String cell(String value) {
    if (value == null) {
      return "";
    }
    if (value.indexOf(',') < 0
        && value.indexOf('"') < 0
        && value.indexOf('\n') < 0
        && value.indexOf('\r') < 0) {
      return value;
    }
    return '"' + value.replace("\"", "\"\"") + '"';
  }
}
