package io.aftercare.bridge;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * A cost estimate staff send for out-of-warranty work (docs/tickets.md, "Quotes"). Invalid values
 * are refused naming the field; the total is computed, never sent.
 *
 * @param lines the parts, possibly none
 * @param labour the labour cost, in {@code currency}
 * @param estimatedMinutes how long the work is expected to take
 * @param currency ISO 4217 code, e.g. EUR
 */
public record QuoteRequest(
    List<Line> lines, BigDecimal labour, Integer estimatedMinutes, String currency) {

  static final int MAX_LINES = 50;
  private static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000");

  /** One part: its number, how many, and the price of one. */
  public record Line(String partNumber, Integer quantity, BigDecimal unitPrice) {}

  public QuoteRequest {
    lines = lines == null ? List.of() : List.copyOf(lines);
    if (lines.size() > MAX_LINES) {
      throw invalid("lines", "must hold at most " + MAX_LINES + " parts");
    }
    for (int i = 0; i < lines.size(); i++) {
      Line line = lines.get(i);
      String field = "lines[" + i + "].";
      if (line == null) {
        throw invalid("lines[" + i + "]", "must not be null");
      }
      if (line.partNumber() == null
          || line.partNumber().isBlank()
          || line.partNumber().length() > 64) {
        throw invalid(field + "partNumber", "is required, at most 64 characters");
      }
      if (line.quantity() == null || line.quantity() < 1 || line.quantity() > 1000) {
        throw invalid(field + "quantity", "must be 1 to 1000");
      }
      checkAmount(field + "unitPrice", line.unitPrice());
    }
    checkAmount("labour", labour);
    if (estimatedMinutes == null || estimatedMinutes < 1 || estimatedMinutes > 100_000) {
      throw invalid("estimatedMinutes", "must be 1 to 100000");
    }
    if (currency == null || !currency.matches("[A-Z]{3}")) {
      throw invalid("currency", "must be an ISO 4217 code such as EUR");
    }
  }

  /** The parts at their quantities plus the labour, rounded to cents. */
  public BigDecimal total() {
    BigDecimal sum = labour;
    for (Line line : lines) {
      sum = sum.add(line.unitPrice().multiply(BigDecimal.valueOf(line.quantity())));
    }
    return sum.setScale(2, RoundingMode.HALF_UP);
  }

  private static void checkAmount(String field, BigDecimal amount) {
    if (amount == null || amount.signum() < 0 || amount.compareTo(MAX_AMOUNT) >= 0) {
      throw invalid(field, "must be an amount from 0 to below " + MAX_AMOUNT.toPlainString());
    }
    if (amount.stripTrailingZeros().scale() > 2) {
      throw invalid(field, "must have at most 2 decimals");
    }
  }

  private static BridgeException invalid(String field, String what) {
    return new BridgeException(BridgeException.Kind.INVALID, "'" + field + "' " + what);
  }
}
