package io.aftercare.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A quote's total is computed from its lines and labour; invalid values name their field. */
class QuoteRequestTest {

  private static QuoteRequest.Line line(String part, int quantity, String unitPrice) {
    return new QuoteRequest.Line(part, quantity, new BigDecimal(unitPrice));
  }

  @Test
  void theTotalIsThePartsAtTheirQuantitiesPlusLabourInCents() {
    QuoteRequest quote =
        new QuoteRequest(
            List.of(line("FR-PUMP-2", 2, "19.95"), line("FR-SEAL", 3, "0.5")),
            new BigDecimal("45"),
            90,
            "EUR");

    assertThat(quote.total()).isEqualByComparingTo("86.40");
    assertThat(quote.total().scale()).isEqualTo(2);
  }

  @Test
  void labourAloneIsAQuote() {
    assertThat(new QuoteRequest(null, new BigDecimal("30.00"), 30, "EUR").total())
        .isEqualByComparingTo("30.00");
  }

  @Test
  void invalidValuesAreRefusedNamingTheField() {
    BigDecimal ten = BigDecimal.TEN;
    assertThatThrownBy(() -> new QuoteRequest(List.of(line("P", 0, "1")), ten, 10, "EUR"))
        .hasMessageContaining("'lines[0].quantity'");
    assertThatThrownBy(() -> new QuoteRequest(List.of(line(" ", 1, "1")), ten, 10, "EUR"))
        .hasMessageContaining("'lines[0].partNumber'");
    assertThatThrownBy(() -> new QuoteRequest(List.of(line("P", 1, "1.005")), ten, 10, "EUR"))
        .hasMessageContaining("'lines[0].unitPrice'");
    assertThatThrownBy(() -> new QuoteRequest(List.of(), new BigDecimal("-1"), 10, "EUR"))
        .hasMessageContaining("'labour'");
    assertThatThrownBy(() -> new QuoteRequest(List.of(), ten, null, "EUR"))
        .hasMessageContaining("'estimatedMinutes'");
    assertThatThrownBy(() -> new QuoteRequest(List.of(), ten, 10, "eur"))
        .hasMessageContaining("'currency'");
  }
}
