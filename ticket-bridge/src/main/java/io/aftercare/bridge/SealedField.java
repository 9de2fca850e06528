package io.aftercare.bridge;

/**
 * Where a sensitive value is kept sealed at rest ({@link SealedText}), as {@link FieldSealing}
 * converts it: clear values to the sealed form at start-up, values sealed under the previous data
 * key to the current one in the background.
 *
 * @param name what the value is, for logs and errors (e.g. {@code tickets.customer_ref})
 * @param table the table holding it
 * @param id the row's key column, read and bound as it is
 * @param stored the SQL expression giving the stored text (a column, or a text inside jsonb)
 * @param rows which rows hold such a value ({@code true} for all)
 * @param update the statement storing a new sealed form: its parameters are the sealed text, then
 *     the blind index when {@code indexed}, then the row's id
 * @param indexed whether the update also stores the blind index of the clear value
 */
public record SealedField(
    String name,
    String table,
    String id,
    String stored,
    String rows,
    String update,
    boolean indexed) {

  /** A plain text column, with no index. */
  public static SealedField column(String table, String id, String column) {
    return column(table, id, column, "true");
  }

  /** A plain text column, with no index, in the rows {@code rows} selects. */
  public static SealedField column(String table, String id, String column, String rows) {
    return new SealedField(
        table + "." + column,
        table,
        id,
        column,
        rows,
        "UPDATE %s SET %s = ? WHERE %s = ?".formatted(table, column, id),
        false);
  }

  /** A plain text column with the blind-index column its equality filter matches. */
  public static SealedField indexedColumn(
      String table, String id, String column, String indexColumn) {
    return new SealedField(
        table + "." + column,
        table,
        id,
        column,
        "true",
        "UPDATE %s SET %s = ?, %s = ? WHERE %s = ?".formatted(table, column, indexColumn, id),
        true);
  }

  /** A text member of a jsonb column, in the rows {@code rows} selects. */
  public static SealedField jsonMember(
      String table, String id, String jsonColumn, String member, String rows) {
    return new SealedField(
        table + "." + jsonColumn + "." + member,
        table,
        id,
        "%s->>'%s'".formatted(jsonColumn, member),
        rows,
        "UPDATE %1$s SET %2$s = jsonb_set(%2$s, '{%3$s}', to_jsonb(?::text)) WHERE %4$s = ?"
            .formatted(table, jsonColumn, member, id),
        false);
  }
}
